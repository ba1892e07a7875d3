/*
 * NAME
 *	fuzz_dkim_key 1
 * SUMMARY
 *	libFuzzer target for DKIM key records
 * DESCRIPTION
 *	The input is one key record as a TXT lookup returns it (RFC 6376
 *	section 3.6.1).  A record that parses must be consistent: revoked
 *	exactly when there is no key, an ed25519 key of 32 octets, flags 0
 *	or 1; its key is then decoded as OpenSSL would be asked to, which
 *	must give a key of the record's type or a reason.  A refused record
 *	comes with a reason and leaves nothing allocated.  Any violation is
 *	abort().
 */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "dkim/dkim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_keyrec k;
	const char *error = NULL;
	EVP_PKEY *pk;

	if (dkim_keyrec_parse(data, size, &k, &error) < 0) {
		if (error == NULL || k.key != NULL)
			abort();
		return 0;
	}
	if ((k.key == NULL) != (k.revoked != 0) || (k.key != NULL && k.key_len == 0)
	    || (k.key_type != 0 && k.key_type != 1)
	    || (k.key_type == 1 && k.key != NULL && k.key_len != 32)
	    || (unsigned) k.testing > 1 || (unsigned) k.strict > 1
	    || (unsigned) k.allows_sha256 > 1 || (unsigned) k.allows_sha1 > 1
	    || (unsigned) k.service_ok > 1)
		abort();
	if (!k.revoked) {
		error = NULL;
		pk = dkim_keyrec_pkey(&k, &error);
		if (pk == NULL && error == NULL)
			abort();
		if (pk != NULL && EVP_PKEY_get_base_id(pk)
		    != (k.key_type == 1 ? EVP_PKEY_ED25519 : EVP_PKEY_RSA))
			abort();
		EVP_PKEY_free(pk);
		ERR_clear_error();
	}
	dkim_keyrec_free(&k);
	return 0;
}
