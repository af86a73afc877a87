#define _GNU_SOURCE
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include "CNetnsLabShims.h"

int netnslab_drop_effective_capability(int capability) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) return -1;
    data[capability / 32].effective &= ~(1u << (capability % 32));
    return (int)syscall(SYS_capset, &header, data);
}

int netnslab_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
