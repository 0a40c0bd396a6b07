//! Hand-written runtime core: client, configuration, auth, retries, errors, pagination.
