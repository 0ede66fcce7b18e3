/// The release, printed by `--version` and named in `make dist`'s tarball (the Makefile reads this line).
let toolVersion = "0.4.0"
