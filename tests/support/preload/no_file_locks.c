/* Preloaded into moescope-cli by test_cli_resume: a file system without file locks, as Lustre
   mounted without "flock" is, where flock() fails with ENOSYS. */
#include <errno.h>

int flock(int fd, int operation) {
  (void)fd;
  (void)operation;
  errno = ENOSYS;
  return -1;
}
