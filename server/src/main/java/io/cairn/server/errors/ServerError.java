package io.cairn.server.errors;

/**
 * Every error a node reports to clients, worded as etcd words it: clients such as etcdctl and
 * jetcd match on these texts. The transport layer maps each to a status code in one table.
 */
public enum ServerError {
    EMPTY_KEY("etcdserver: key is not provided"),
    KEY_NOT_FOUND("etcdserver: key not found"),
    VALUE_PROVIDED("etcdserver: value is provided"),
    LEASE_PROVIDED("etcdserver: lease is provided"),
    TOO_MANY_OPS("etcdserver: too many operations in txn request"),
    DUPLICATE_KEY("etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE("etcdserver: request is too large"),
    COMPACTED("etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV("etcdserver: mvcc: required revision is a future revision"),
    NO_SPACE("etcdserver: mvcc: database space exceeded"),
    LEASE_NOT_FOUND("etcdserver: requested lease not found"),
    LEASE_EXIST("etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE("etcdserver: too large lease TTL"),
    NOT_LEADER("etcdserver: not leader"),
    NO_LEADER("etcdserver: no leader"),
    TIMEOUT("etcdserver: request timed out"),
    /** The leader changed while the request was in the log: it may or may not have been applied. */
    TIMEOUT_LEADER_FAIL("etcdserver: request timed out, possibly due to previous leader failure"),
    /** This member could not reach the leader to hand the request over. */
    UNREACHABLE_LEADER("etcdserver: request timed out, possibly due to connection lost"),
    TOO_MANY_REQUESTS("etcdserver: too many requests"),
    STOPPED("etcdserver: server stopped"),
    CORRUPT("etcdserver: corrupt cluster"),
    MEMBER_EXIST("etcdserver: member ID already exist"),
    PEER_URL_EXIST("etcdserver: Peer URLs already exists"),
    MEMBER_NOT_FOUND("etcdserver: member not found"),
    MEMBER_BAD_URLS("etcdserver: given member URLs are invalid"),
    MEMBER_NOT_LEARNER("etcdserver: can only promote a learner member"),
    UNHEALTHY("etcdserver: unhealthy cluster"),
    LEARNER_NOT_READY("etcdserver: can only promote a learner member which is in sync with leader"),
    NOT_ENOUGH_STARTED_MEMBERS("etcdserver: re-configuration failed due to not enough started members"),
    /** Cairn's own: etcd's raft drops a second change while one is pending, and its caller times out. */
    RECONFIGURATION_UNDER_WAY("etcdserver: re-configuration failed: an earlier membership change is still under way"),
    NOT_SUPPORTED_FOR_LEARNER("etcdserver: rpc not supported for learner"),
    BAD_LEADER_TRANSFEREE("etcdserver: bad leader transferee"),
    LEADER_TRANSFER_TIMEOUT("etcdserver: request timed out, leader transfer took too long"),
    ROOT_USER_NOT_EXIST("etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST("etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST("etcdserver: user name already exists"),
    USER_EMPTY("etcdserver: user name is empty"),
    USER_NOT_FOUND("etcdserver: user name not found"),
    ROLE_ALREADY_EXIST("etcdserver: role name already exists"),
    ROLE_NOT_FOUND("etcdserver: role name not found"),
    ROLE_EMPTY("etcdserver: role name is empty"),
    AUTH_FAILED("etcdserver: authentication failed, invalid user ID or password"),
    /** etcd words this one outside its own error table, so clients see it with code Unknown. */
    NO_PASSWORD_USER("auth: authentication failed, password was given for no password user"),
    PERMISSION_DENIED("etcdserver: permission denied"),
    ROLE_NOT_GRANTED("etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED("etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED("etcdserver: authentication is not enabled"),
    INVALID_AUTH_TOKEN("etcdserver: invalid auth token"),
    INVALID_AUTH_MGMT("etcdserver: invalid auth management"),
    AUTH_OLD_REVISION("etcdserver: revision of auth store is old"),
    /** etcd's election errors come from its recipes, outside its error table: code Unknown. */
    ELECTION_NOT_LEADER("election: not leader"),
    ELECTION_NO_LEADER("election: no leader"),
    ELECTION_MISSING_LEADER("\"leader\" field must be provided"),
    /** etcd's Lock recipe, when the caller's lease ended while it waited: code Unknown. */
    LOCK_SESSION_EXPIRED("mutex: session is expired"),
    /**
     * Cairn's own: a committed command failed in a way no check foresaw (a bug); it was undone
     * on every member, where etcd would stop.
     */
    APPLY_FAILED("etcdserver: request failed to apply and changed nothing"),
    /** Cairn's registry: a request it refuses, with the reason after this text. */
    REGISTRY_INVALID("registry: invalid request"),
    REGISTRY_NOT_FOUND("registry: instance not found"),
    REGISTRY_CONFLICT("registry: the instance kept changing; try again"),
    /** Cairn's config center; most carry what exactly was wrong after this text. */
    CONFIG_INVALID("config: invalid request"),
    CONFIG_BAD_CONTENT("config: content does not parse as its format"),
    CONFIG_SCHEMA_VIOLATION("config: content does not satisfy the config's schema"),
    CONFIG_TOO_LARGE("config: content is too large"),
    CONFIG_NOT_FOUND("config: not found"),
    CONFIG_VERSION_CONFLICT("config: version conflict"),
    CONFIG_NAMESPACE_NOT_FOUND("config: namespace not found"),
    CONFIG_NAMESPACE_EXISTS("config: namespace already exists"),
    CONFIG_NAMESPACE_NOT_EMPTY("config: namespace is not empty"),
    CONFIG_NO_GRAY("config: no gray release under way"),
    CONFIG_DRAFT_NOT_FOUND("config: draft not found"),
    /** Reviewed publishing: what the namespace's review rule does not allow, with why. */
    CONFIG_REVIEW_REFUSED("config: refused by the namespace's review rule"),
    /** Secrets: no master key on this member, or one that cannot open what is stored, with why. */
    CONFIG_SECRETS_UNAVAILABLE("config: secrets are unavailable"),
    /** Cairn's own: etcd takes a value no enum defines as some default; Cairn refuses it. */
    UNKNOWN_ENUM("etcdserver: request has a value no enum defines");

    private final String text;

    ServerError(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** An exception carrying this error, for code paths that unwind by throwing. */
    public ServerException exception() {
        return new ServerException(this);
    }

    public ServerException exception(String detail) {
        return new ServerException(this, detail);
    }
}
