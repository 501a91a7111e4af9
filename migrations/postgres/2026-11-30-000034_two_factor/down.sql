DROP TABLE two_factor_policy;
DROP TABLE remembered_devices;
DROP TABLE two_factor_recovery;
DROP TABLE two_factor;
