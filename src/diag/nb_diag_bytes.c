/* nb_diag_bytes.c — diagnostics about how addresses and integers sit in memory:
 * byteorder (host vs network order) and pton (text <-> binary address). Pure: no
 * sockets, no files. */
#include "nb_diag.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <endian.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

int nb_diag_byteorder(nb_diag_emit emit, void *ud)
{
    char h[64], n[64];
    const uint16_t one = 0x0102;
    const uint8_t *first = (const uint8_t *)&one;
    nb_diag_emitf(emit, ud, "host byte order: %s-endian (0x0102 is stored as %s)",
                  *first == 0x02 ? "little" : "big", nb_diag_hex(&one, 2, h, sizeof h));
    nb_diag_emitf(emit, ud, "network byte order: big-endian (most significant byte first)");

    uint16_t v16 = 0x1234, n16 = htons(v16);
    nb_diag_emitf(emit, ud, "16-bit 0x%04" PRIx16 ": host [%s]  htons -> [%s]  ntohs back: 0x%04" PRIx16,
                  v16, nb_diag_hex(&v16, 2, h, sizeof h), nb_diag_hex(&n16, 2, n, sizeof n), ntohs(n16));
    uint32_t v32 = 0x12345678, n32 = htonl(v32);
    nb_diag_emitf(emit, ud, "32-bit 0x%08" PRIx32 ": host [%s]  htonl -> [%s]  ntohl back: 0x%08" PRIx32,
                  v32, nb_diag_hex(&v32, 4, h, sizeof h), nb_diag_hex(&n32, 4, n, sizeof n), ntohl(n32));
    /* There is no htonll in POSIX; glibc's <endian.h> has htobe64 / be64toh. */
    uint64_t v64 = 0x0102030405060708ull, n64 = htobe64(v64);
    nb_diag_emitf(emit, ud, "64-bit 0x%016" PRIx64 ": host [%s]  htobe64 -> [%s]  be64toh back: 0x%016" PRIx64,
                  v64, nb_diag_hex(&v64, 8, h, sizeof h), nb_diag_hex(&n64, 8, n, sizeof n), be64toh(n64));

    /* The two values every socket program converts. */
    uint16_t port = 49001, nport = htons(port);
    nb_diag_emitf(emit, ud, "port %u (sin_port): host [%s]  network [%s]", (unsigned)port,
                  nb_diag_hex(&port, 2, h, sizeof h), nb_diag_hex(&nport, 2, n, sizeof n));
    uint32_t lo = INADDR_LOOPBACK, nlo = htonl(lo);
    nb_diag_emitf(emit, ud, "INADDR_LOOPBACK 0x%08" PRIx32 " (sin_addr): host [%s]  network [%s] = 127.0.0.1",
                  lo, nb_diag_hex(&lo, 4, h, sizeof h), nb_diag_hex(&nlo, 4, n, sizeof n));
    return 0;
}

/* What kind of IPv6 address: the classes a student meets first. */
static const char *v6_kind(const struct in6_addr *a)
{
    if (IN6_IS_ADDR_UNSPECIFIED(a)) return "unspecified (::)";
    if (IN6_IS_ADDR_LOOPBACK(a)) return "loopback";
    if (IN6_IS_ADDR_V4MAPPED(a)) return "IPv4-mapped";
    if (IN6_IS_ADDR_LINKLOCAL(a)) return "link-local (needs a scope id)";
    if (IN6_IS_ADDR_MULTICAST(a)) return "multicast";
    if ((a->s6_addr[0] & 0xfe) == 0xfc) return "unique local (fc00::/7)";
    return "global unicast";
}

static const char *v4_kind(const uint8_t *b)
{
    if (b[0] == 127) return "loopback";
    if (b[0] == 0 && !b[1] && !b[2] && !b[3]) return "unspecified (INADDR_ANY)";
    if (b[0] >= 224 && b[0] <= 239) return "multicast";
    if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168))
        return "private (RFC 1918)";
    if (b[0] == 169 && b[1] == 254) return "link-local";
    if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return "broadcast";
    return "global unicast";
}

/* Why inet_pton said no, in words a student can act on. */
static int pton_error(const char *text, nb_diag_emit emit, void *ud)
{
    int dots_digits = 1;
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.') dots_digits = 0;
    if (!*text) return nb_diag_fail(emit, ud, "pton: empty address");
    if (dots_digits)
        return nb_diag_fail(emit, ud, "pton: \"%.64s\" is not an IPv4 address: inet_pton(AF_INET) "
                            "wants exactly four decimal parts 0-255", text);
    if (strchr(text, ':'))
        return nb_diag_fail(emit, ud, "pton: \"%.64s\" is not an IPv6 address "
                            "(inet_pton(AF_INET6) rejects it)", text);
    return nb_diag_fail(emit, ud, "pton: \"%.64s\" is neither an IPv4 nor an IPv6 address", text);
}

int nb_diag_pton(const char *text, nb_diag_emit emit, void *ud)
{
    uint8_t bin[16];
    char canon[INET6_ADDRSTRLEN], hex[64], addr[INET6_ADDRSTRLEN + 1];
    const char *scope = NULL;
    unsigned scope_id = 0;
    int family = AF_INET;

    NB_ASSERT(text);
    if (inet_pton(AF_INET, text, bin) != 1) {
        family = AF_INET6;
        /* "fe80::1%lo" is getaddrinfo syntax: inet_pton knows no scope ids. */
        const char *pct = strchr(text, '%');
        size_t alen = pct ? (size_t)(pct - text) : strlen(text);
        if (alen >= sizeof addr) return pton_error(text, emit, ud);
        memcpy(addr, text, alen);
        addr[alen] = '\0';
        if (inet_pton(AF_INET6, addr, bin) != 1) return pton_error(text, emit, ud);
        if (pct) {
            scope = pct + 1;
            char *end;
            unsigned long idx = strtoul(scope, &end, 10);
            scope_id = (*scope && !*end && idx <= UINT32_MAX) ? (unsigned)idx : if_nametoindex(scope);
            if (!scope_id)
                return nb_diag_fail(emit, ud, "pton: scope \"%%%.32s\" names no interface here", scope);
        }
    }

    inet_ntop(family, bin, canon, sizeof canon);
    size_t len = family == AF_INET ? 4 : 16;
    nb_diag_emitf(emit, ud, "input: %s", text);
    nb_diag_emitf(emit, ud, "family: %s, %zu bytes, %s", family == AF_INET ? "AF_INET" : "AF_INET6",
                  len, family == AF_INET ? v4_kind(bin) : v6_kind((struct in6_addr *)bin));
    nb_diag_emitf(emit, ud, "bytes (network order): %s", nb_diag_hex(bin, len, hex, sizeof hex));
    if (family == AF_INET) {
        uint32_t be;
        memcpy(&be, bin, 4);
        nb_diag_emitf(emit, ud, "as a number: 0x%08" PRIx32 " = %" PRIu32 " (ntohl of s_addr)",
                      ntohl(be), ntohl(be));
    }
    if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((struct in6_addr *)bin)) {
        char v4[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, bin + 12, v4, sizeof v4);
        nb_diag_emitf(emit, ud, "embedded IPv4: %s (what a dual-stack socket shows for a v4 peer)", v4);
    }
    if (scope)
        nb_diag_emitf(emit, ud, "scope: %%%s = interface index %u (sin6_scope_id; inet_pton "
                      "rejects the %%suffix, getaddrinfo accepts it)", scope, scope_id);
    nb_diag_emitf(emit, ud, "canonical (inet_ntop): %s", canon);
    nb_diag_emitf(emit, ud, "round trip: %s", strcmp(canon, scope ? addr : text) == 0
                  ? "identical" : "text differs from the canonical form, same bytes");
    return 0;
}
