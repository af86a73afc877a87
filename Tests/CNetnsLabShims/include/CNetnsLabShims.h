// Test-only helpers the lab needs from C.
#ifndef C_NETNS_LAB_SHIMS_H
#define C_NETNS_LAB_SHIMS_H

/// Removes one capability from the calling thread's effective set (capset(2) is per thread).
/// Returns 0 on success, -1 with errno set otherwise.
int netnslab_drop_effective_capability(int capability);

/// pipe2(fds, O_CLOEXEC): a pipe no spawned child inherits by accident.
int netnslab_pipe_cloexec(int fds[2]);

#endif
