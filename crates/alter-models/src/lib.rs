//! Model catalog, offline provisioning from registry packages, checksums, and format converters.
