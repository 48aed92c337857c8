package io.cairn.server.errors;

/** A {@link ServerError} on its way to the client. Expected, so it carries no stack trace. */
public final class ServerException extends RuntimeException {
    private final ServerError error;

    public ServerException(ServerError error) {
        super(error.text(), null, false, false);
        this.error = error;
    }

    /** With what exactly was wrong, after the error's own text. */
    public ServerException(ServerError error, String detail) {
        super(error.text() + ": " + detail, null, false, false);
        this.error = error;
    }

    public ServerError error() {
        return error;
    }
}
