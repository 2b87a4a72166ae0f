/*
 * LD_PRELOAD shim for pcscd + vsmartcard vpcd in tests and benchmarks only.
 * vpcd writes each message's length and payload in two send() calls on a socket without
 * TCP_NODELAY, so Nagle holds the payload until the peer's delayed ACK: about 40 ms per APDU.
 * Setting TCP_NODELAY on every accepted socket removes that wait. Non-TCP sockets (pcscd's own
 * UNIX socket) just make setsockopt fail, which is ignored.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void set_nodelay(int fd)
{
	int one = 1;
	if (fd >= 0)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	static int (*real_accept)(int, struct sockaddr *, socklen_t *);
	if (!real_accept)
		real_accept = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
	int s = real_accept(fd, addr, len);
	set_nodelay(s);
	return s;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);
	if (!real_accept4)
		real_accept4 = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
	int s = real_accept4(fd, addr, len, flags);
	set_nodelay(s);
	return s;
}
