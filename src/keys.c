/*
 * NAME
 *	keys 3
 * SUMMARY
 *	DKIM key management: names, key files, DNS record text
 * DESCRIPTION
 *	See keys.h.  Keys are made by lib/dkim (dkim_privkey_generate,
 *	dkim_privkey_pem); this file only puts them in files, and reads
 *	published public keys with OpenSSL.  A new key is written the
 *	careful way: the file is
 *	opened with O_CREAT | O_EXCL | O_NOFOLLOW before the key is made (so
 *	an existing key is never touched and a slow RSA-4096 generation is
 *	not wasted), with mode 0600 from the start (never a moment readable
 *	by others), then written, fsync'd, and its directory fsync'd.  If
 *	anything fails after the open, the half-written file is removed.
 *	The PEM text is wiped from memory once written.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dkim/dkim.h"
#include "keys.h"

/* RFC 1035 section 2.3.4. */
#define KEYS_LABEL_MAX		63
#define KEYS_NAME_MAX		253
/* One character-string of a TXT record (RFC 1035 section 3.3). */
#define KEYS_TXT_STRING_MAX	255

const char *keys_type_str(enum keys_type type)
{
	return type == KEYS_ED25519 ? "ed25519" : "rsa";
}

int keys_type_parse(const char *name, enum keys_type *type_r)
{
	if (strcmp(name, "rsa") == 0)
		*type_r = KEYS_RSA;
	else if (strcmp(name, "ed25519") == 0)
		*type_r = KEYS_ED25519;
	else
		return -1;
	return 0;
}

static int keys_is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	    || c == '-';
}

/* One label at name[0..len): NULL if good, else why not. */
static const char *keys_check_label(const char *name, size_t len)
{
	size_t	i;

	if (len == 0)
		return "empty label (two dots in a row, or a leading dot)";
	if (len > KEYS_LABEL_MAX)
		return "a label is longer than 63 bytes";
	for (i = 0; i < len; i++)
		if (!keys_is_ldh((unsigned char) name[i]))
			return "only letters, digits, hyphens and dots are allowed";
	if (name[0] == '-' || name[len - 1] == '-')
		return "a label may not start or end with a hyphen";
	return NULL;
}

/* Labels of name[0..len); their number into *labels_r. */
static const char *keys_check_labels(const char *name, size_t len, int *labels_r)
{
	const char *why;
	size_t	start = 0;
	size_t	i;

	*labels_r = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '.')
			continue;
		if ((why = keys_check_label(name + start, i - start)) != NULL)
			return why;
		(*labels_r)++;
		start = i + 1;
	}
	return NULL;
}

static int keys_check_name(const char *name, int min_labels, char **lower_r,
			   const char **why_r)
{
	size_t	len = strlen(name);
	int	labels;
	size_t	i;

	*lower_r = NULL;
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len > KEYS_NAME_MAX) {
		*why_r = "longer than 253 bytes";
		return -1;
	}
	if ((*why_r = keys_check_labels(name, len, &labels)) != NULL)
		return -1;
	if (labels < min_labels) {
		*why_r = "a domain needs a dot (example.org)";
		return -1;
	}
	if ((*lower_r = strndup(name, len)) == NULL) {
		*why_r = "out of memory";
		return -1;
	}
	for (i = 0; i < len; i++)
		if ((*lower_r)[i] >= 'A' && (*lower_r)[i] <= 'Z')
			(*lower_r)[i] = (char) ((*lower_r)[i] - 'A' + 'a');
	return 0;
}

int keys_check_domain(const char *name, char **lower_r, const char **why_r)
{
	return keys_check_name(name, 2, lower_r, why_r);
}

int keys_check_selector(const char *name, char **lower_r, const char **why_r)
{
	return keys_check_name(name, 1, lower_r, why_r);
}

char *keys_default_selector(enum keys_type type, time_t now)
{
	struct tm tm;
	struct buf b;

	if (gmtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	buf_init(&b, 64);
	(void) buf_printf(&b, "s%04d%02d-%s", tm.tm_year + 1900, tm.tm_mon + 1,
			  type == KEYS_ED25519 ? "ed" : "rsa");
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *keys_path(const char *keys_dir, const char *domain, const char *selector)
{
	struct buf b;
	size_t	len = strlen(keys_dir);

	/* "/etc/sealist/keys/" and "/etc/sealist/keys" name the same directory. */
	while (len > 1 && keys_dir[len - 1] == '/')
		len--;
	buf_init(&b, 4096);
	(void) buf_printf(&b, "%.*s/%s/%s.pem", (int) len, keys_dir, domain, selector);
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* mkdir 0700 unless it is there already. */
static int keys_mkdir(const char *dir, struct buf *error)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0 || (errno == EEXIST && stat(dir, &st) == 0
				      && S_ISDIR(st.st_mode)))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	(void) buf_printf(error, "cannot create the key directory %s: %s; %s", dir,
			  strerror(errno), errno == ENOENT
			  ? "create its parent, or set keys_dir in the configuration file"
			  : "fix that, or set keys_dir in the configuration file");
	return -1;
}

/* keys_dir and path's directory (its domain directory). */
static int keys_make_dirs(const char *keys_dir, const char *path, struct buf *error)
{
	const char *slash = strrchr(path, '/');
	char   *dir;
	int	rc;

	if (keys_mkdir(keys_dir, error) < 0)
		return -1;
	if (slash == NULL || (dir = strndup(path, (size_t) (slash - path))) == NULL) {
		(void) buf_printf(error, "out of memory");
		return -1;
	}
	rc = keys_mkdir(dir, error);
	free(dir);
	return rc;
}

/* A new key from lib/dkim as PEM PKCS#8 ("BEGIN PRIVATE KEY") in pem. */
static int keys_pem(enum keys_type type, int bits, struct buf *pem, struct buf *error)
{
	struct dkim_privkey *key;
	const char *why;
	int	rc;

	key = dkim_privkey_generate(type == KEYS_ED25519 ? DKIM_ALGO_ED25519_SHA256
				    : DKIM_ALGO_RSA_SHA256, bits, &why);
	if (key == NULL) {
		(void) buf_printf(error, "cannot generate a %s key: %s", keys_type_str(type), why);
		return -1;
	}
	rc = dkim_privkey_pem(key, pem);
	dkim_privkey_free(key);
	if (rc < 0 || buf_failed(pem) || pem->len == 0) {
		(void) buf_printf(error, "cannot write the %s key as PEM", keys_type_str(type));
		return -1;
	}
	return 0;
}

static int keys_write_all(int fd, const char *data, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t) n;
	}
	return 0;
}

/* fsync the directory holding path, so the new name survives a crash. */
static int keys_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char   *dir;
	int	fd;
	int	rc = 0;

	if (slash == NULL || (dir = strndup(path, (size_t) (slash - path))) == NULL)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* Generate into the open, empty file fd. */
static int keys_fill(int fd, const char *path, enum keys_type type, int bits,
		     struct buf *error)
{
	struct buf pem;
	int	rc = 0;

	/* An RSA-4096 PKCS#8 PEM is about 3.3 KB. */
	buf_init(&pem, 64 * 1024);
	if (keys_pem(type, bits, &pem, error) < 0) {
		rc = -1;
	} else if (keys_write_all(fd, (const char *) pem.data, pem.len) < 0
		   || fchmod(fd, 0600) < 0 || fsync(fd) < 0) {
		(void) buf_printf(error, "cannot write the key file %s: %s", path,
				  strerror(errno));
		rc = -1;
	}
	/* The private key leaves no copy behind in freed memory. */
	if (pem.data != NULL)
		OPENSSL_cleanse(pem.data, pem.cap);
	buf_free(&pem);
	return rc;
}

int keys_generate(const char *keys_dir, const char *path, enum keys_type type,
		  int bits, struct buf *error)
{
	int	fd;
	int	rc;

	if (keys_make_dirs(keys_dir, path, error) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			(void) buf_printf(error, "%s already exists; a key file is never overwritten:"
					  " choose another selector with --selector, or move the"
					  " file away first", path);
		else
			(void) buf_printf(error, "cannot create the key file %s: %s", path,
					  strerror(errno));
		return -1;
	}
	rc = keys_fill(fd, path, type, bits, error);
	if (close(fd) < 0 && rc == 0) {
		(void) buf_printf(error, "cannot write the key file %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && keys_sync_dir(path) < 0) {
		(void) buf_printf(error, "cannot sync the directory of %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		(void) unlink(path);
	return rc;
}

/* One quoted character-string of bytes [p, p+len). */
static void keys_quoted(struct buf *out, const char *p, size_t len)
{
	size_t	i;

	(void) buf_append_byte(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) p[i];

		if (c == '"' || c == '\\')
			(void) buf_printf(out, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			(void) buf_printf(out, "\\%03u", c);
		else
			(void) buf_append_byte(out, c);
	}
	(void) buf_append_byte(out, '"');
}

/* Where the first string ends: just before "p=" if that fits, else 255. */
static size_t keys_first_cut(const char *record, size_t len)
{
	const char *p = record;
	const char *end = record + len;

	while (p + 1 < end) {
		if (p[0] == 'p' && p[1] == '=' && (p == record || p[-1] == ' ' || p[-1] == ';'))
			break;
		p++;
	}
	if (p + 1 < end && p > record && (size_t) (p - record) <= KEYS_TXT_STRING_MAX)
		return (size_t) (p - record);
	return len < KEYS_TXT_STRING_MAX ? len : KEYS_TXT_STRING_MAX;
}

int keys_zone_record(const char *name, const char *record, size_t len, struct buf *out)
{
	size_t	off;
	size_t	n;

	(void) buf_printf(out, "%s. IN TXT ( ", name);
	n = keys_first_cut(record, len);
	keys_quoted(out, record, n);
	for (off = n; off < len; off += n) {
		n = len - off < KEYS_TXT_STRING_MAX ? len - off : KEYS_TXT_STRING_MAX;
		(void) buf_append_str(out, "\n\t");
		keys_quoted(out, record + off, n);
	}
	(void) buf_append_str(out, " )\n");
	return buf_failed(out) ? -1 : 0;
}

/* An RSA public key from SubjectPublicKeyInfo DER, or PKCS#1 RSAPublicKey
 * (which some publish by mistake and verifiers accept); NULL if neither. */
static EVP_PKEY *keys_rsa_public(const unsigned char *key, size_t len)
{
	const unsigned char *p = key;
	EVP_PKEY *pkey;

	if (len == 0 || len > 64 * 1024)
		return NULL;
	pkey = d2i_PUBKEY(NULL, &p, (long) len);
	if (pkey == NULL || p != key + len || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pkey);
		p = key;
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long) len);
		if (pkey != NULL && p != key + len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	ERR_clear_error();	/* the queue is thread-wide; leave it clean */
	return pkey;
}

int keys_public_bits(int key_type, const unsigned char *key, size_t len, int *bits_r)
{
	EVP_PKEY *pkey;

	*bits_r = 0;
	if (key_type == 1) {
		if (len != 32)
			return -1;
		*bits_r = 256;
		return 0;
	}
	if (key_type != 0 || (pkey = keys_rsa_public(key, len)) == NULL)
		return -1;
	*bits_r = EVP_PKEY_get_bits(pkey);
	EVP_PKEY_free(pkey);
	return 0;
}

int keys_public_same(int key_type, const unsigned char *a, size_t a_len,
		     const unsigned char *b, size_t b_len)
{
	EVP_PKEY *ka;
	EVP_PKEY *kb;
	int	same;

	if (key_type == 1)
		return a_len == b_len && memcmp(a, b, a_len) == 0;
	if (key_type != 0 || (ka = keys_rsa_public(a, a_len)) == NULL)
		return 0;
	if ((kb = keys_rsa_public(b, b_len)) == NULL) {
		EVP_PKEY_free(ka);
		return 0;
	}
	same = EVP_PKEY_eq(ka, kb) == 1;
	EVP_PKEY_free(ka);
	EVP_PKEY_free(kb);
	return same;
}
