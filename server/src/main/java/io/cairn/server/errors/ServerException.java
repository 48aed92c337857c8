package io.cairn.server.errors;

/** A {@link ServerError} on its way to the client. Expected, so it carries no stack trace. */
public final class ServerException extends RuntimeException {
    private final ServerError error;
    private final String detail;

    public ServerException(ServerError error) {
        super(error.text(), null, false, false);
        this.error = error;
        this.detail = "";
    }

    /** With what exactly was wrong, after the error's own text. */
    public ServerException(ServerError error, String detail) {
        super(error.text() + ": " + detail, null, false, false);
        this.error = error;
        this.detail = detail;
    }

    public ServerError error() {
        return error;
    }

    /** What was wrong beyond the error's own text; empty if nothing. */
    public String detail() {
        return detail;
    }

    /** The same failure again, where the error and its detail crossed a wire separately. */
    public static ServerException of(ServerError error, String detail) {
        return detail.isEmpty() ? new ServerException(error) : new ServerException(error, detail);
    }
}
