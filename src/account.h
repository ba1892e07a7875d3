/*
 * NAME
 *	account 3h
 * SUMMARY
 *	web account names and passwords: rules, scrypt hashing, checking
 * DESCRIPTION
 *	A password is stored as
 *
 *	  $scrypt$ln=15,r=8,p=1$SALT$HASH
 *
 *	SALT (16 random octets) and HASH (32 octets of scrypt, RFC 7914,
 *	with N = 2^ln) in base64 with padding.  The parameters are part
 *	of the string, so raising them later leaves old hashes usable.
 *	A check compares in constant time.  A password is 8 to 1024
 *	octets; an account name is [A-Za-z0-9._@-]{1,64}.
 */
#ifndef SEALIST_ACCOUNT_H
#define SEALIST_ACCOUNT_H

#include <stddef.h>

#define ACCOUNT_NAME_MAX	64
#define ACCOUNT_PASSWORD_MIN	8
#define ACCOUNT_PASSWORD_MAX	1024
#define ACCOUNT_HASH_SIZE	128	/* room for the stored string and its NUL */

/* The parameters new hashes get: N = 2^15 (32 MiB of memory), r 8, p 1. */
#define ACCOUNT_SCRYPT_LN	15
#define ACCOUNT_SCRYPT_R	8
#define ACCOUNT_SCRYPT_P	1

/* 1 if name is a valid account name, else 0. */
extern int account_name_ok(const char *name);

/* NULL if the password may be used, else why not (static text). */
extern const char *account_password_problem(const char *password, size_t len);

/* Hash a password with a new random salt and the default parameters
   into out.  0, or -1 (no randomness, out of memory). */
extern int account_hash(const char *password, size_t len, char out[ACCOUNT_HASH_SIZE]);

/* The same with the given parameters (log2 N, r, p). */
extern int account_hash_params(const char *password, size_t len, int ln, int r, int p,
			       char out[ACCOUNT_HASH_SIZE]);

/* 1 if password matches stored, 0 if not or if stored is not a hash this
   program reads (a tampered or foreign value never matches). */
extern int account_verify(const char *password, size_t len, const char *stored);

/* Spend the time of one check with the default parameters and match
   nothing: for logins of accounts that do not exist. */
extern void account_verify_dummy(const char *password, size_t len);

/* Overwrite a password's copy (a plain memset may be optimised away). */
extern void account_wipe(void *p, size_t len);

#endif
