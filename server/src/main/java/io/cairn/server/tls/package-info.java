/** TLS material from etcd's flags: PEM certificates and keys, trust, and self-signed auto-tls. */
package io.cairn.server.tls;
