/** Cluster alarms (NOSPACE, CORRUPT): raised and disarmed through raft, kept in the backend. */
package io.cairn.server.alarm;
