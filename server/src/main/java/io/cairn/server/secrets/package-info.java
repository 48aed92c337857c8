/**
 * Keys for the config center's secrets: the members' master key, and the namespaces' data keys
 * it wraps (envelope encryption, with Google Tink). Knows nothing of configs or transport.
 */
package io.cairn.server.secrets;
