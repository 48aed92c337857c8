package io.cairn.server.api;

import io.cairn.api.config.AbortGrayRequest;
import io.cairn.api.config.AbortGrayResponse;
import io.cairn.api.config.AuditRequest;
import io.cairn.api.config.AuditResponse;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceResponse;
import io.cairn.api.config.DeleteRequest;
import io.cairn.api.config.DescribeNamespaceRequest;
import io.cairn.api.config.DiffRequest;
import io.cairn.api.config.DiffResponse;
import io.cairn.api.config.ExportRequest;
import io.cairn.api.config.ExportResponse;
import io.cairn.api.config.GetGrayRequest;
import io.cairn.api.config.ListenersRequest;
import io.cairn.api.config.ListenersResponse;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.GetResponse;
import io.cairn.api.config.GrayResponse;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.HistoryResponse;
import io.cairn.api.config.ImportRequest;
import io.cairn.api.config.ImportResponse;
import io.cairn.api.config.ListNamespacesRequest;
import io.cairn.api.config.ListNamespacesResponse;
import io.cairn.api.config.ListRequest;
import io.cairn.api.config.ListResponse;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.api.config.NamespaceResponse;
import io.cairn.api.config.PromoteGrayRequest;
import io.cairn.api.config.PublishRequest;
import io.cairn.api.config.PublishResponse;
import io.cairn.api.config.ReportRequest;
import io.cairn.api.config.ReportResponse;
import io.cairn.api.config.RollbackRequest;
import io.cairn.api.config.SetSchemaRequest;
import io.cairn.api.config.SetSchemaResponse;
import io.cairn.api.config.StartGrayRequest;
import io.cairn.api.config.StatusRequest;
import io.cairn.api.config.StatusResponse;
import io.cairn.server.config.ConfigListen;
import io.cairn.server.node.ConfigReads;
import io.cairn.server.node.ConfigServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** cairn.config.v1.Config over gRPC; a listen sends as fast as its client reads. */
public final class ConfigGrpcService extends ConfigGrpc.ConfigImplBase {
    private final ConfigServer configs;
    private final ConfigReads reads;

    public ConfigGrpcService(ConfigServer configs, ConfigReads reads) {
        this.configs = configs;
        this.reads = reads;
    }

    @Override
    public void createNamespace(CreateNamespaceRequest request, StreamObserver<NamespaceResponse> observer) {
        Replies.reply(() -> configs.createNamespace(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void listNamespaces(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
        Replies.reply(() -> reads.listNamespaces(Callers.user()), observer);
    }

    @Override
    public void describeNamespace(DescribeNamespaceRequest request, StreamObserver<NamespaceResponse> observer) {
        Replies.reply(() -> reads.describeNamespace(Callers.user(), request), observer);
    }

    @Override
    public void deleteNamespace(DeleteNamespaceRequest request, StreamObserver<DeleteNamespaceResponse> observer) {
        Replies.reply(() -> configs.deleteNamespace(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> observer) {
        Replies.reply(() -> configs.publish(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> observer) {
        Replies.reply(() -> reads.get(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> observer) {
        Replies.reply(() -> reads.list(Callers.user(), request), observer);
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<PublishResponse> observer) {
        Replies.reply(() -> configs.delete(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void history(HistoryRequest request, StreamObserver<HistoryResponse> observer) {
        Replies.reply(() -> reads.history(Callers.user(), request), observer);
    }

    @Override
    public void diff(DiffRequest request, StreamObserver<DiffResponse> observer) {
        Replies.reply(() -> reads.diff(Callers.user(), request), observer);
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<PublishResponse> observer) {
        Replies.reply(() -> configs.rollback(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void setSchema(SetSchemaRequest request, StreamObserver<SetSchemaResponse> observer) {
        Replies.reply(() -> configs.setSchema(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void startGray(StartGrayRequest request, StreamObserver<GrayResponse> observer) {
        Replies.reply(() -> configs.startGray(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void getGray(GetGrayRequest request, StreamObserver<GrayResponse> observer) {
        Replies.reply(() -> reads.getGray(Callers.user(), request), observer);
    }

    @Override
    public void promoteGray(PromoteGrayRequest request, StreamObserver<PublishResponse> observer) {
        Replies.reply(() -> configs.promoteGray(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void abortGray(AbortGrayRequest request, StreamObserver<AbortGrayResponse> observer) {
        Replies.reply(() -> configs.abortGray(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void export(ExportRequest request, StreamObserver<ExportResponse> observer) {
        Replies.reply(() -> reads.export(Callers.user(), request), observer);
    }

    @Override
    public void import_(ImportRequest request, StreamObserver<ImportResponse> observer) {
        Replies.reply(() -> configs.importDocument(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void audit(AuditRequest request, StreamObserver<AuditResponse> observer) {
        Replies.reply(() -> reads.audit(Callers.user(), request), observer);
    }

    @Override
    public void listeners(ListenersRequest request, StreamObserver<ListenersResponse> observer) {
        Replies.reply(() -> reads.listenersOf(Callers.user(), request), observer);
    }

    @Override
    public void report(ReportRequest request, StreamObserver<ReportResponse> observer) {
        Replies.reply(() -> configs.report(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Replies.reply(() -> reads.status(Callers.user(), request), observer);
    }

    @Override
    public void updateNamespace(io.cairn.api.config.UpdateNamespaceRequest request, StreamObserver<NamespaceResponse> observer) {
        Replies.reply(() -> configs.updateNamespace(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void listDrafts(io.cairn.api.config.ListDraftsRequest request,
                           StreamObserver<io.cairn.api.config.ListDraftsResponse> observer) {
        Replies.reply(() -> reads.listDrafts(Callers.user(), request), observer);
    }

    @Override
    public void getDraft(io.cairn.api.config.GetDraftRequest request, StreamObserver<io.cairn.api.config.DraftResponse> observer) {
        Replies.reply(() -> reads.getDraft(Callers.user(), request), observer);
    }

    @Override
    public void reviewDraft(io.cairn.api.config.ReviewDraftRequest request,
                            StreamObserver<io.cairn.api.config.ReviewDraftResponse> observer) {
        Replies.reply(() -> configs.review(Callers.user(), Callers.address(), request), observer);
    }

    @Override
    public void rotateSecrets(io.cairn.api.config.RotateSecretsRequest request,
                              StreamObserver<io.cairn.api.config.RotateSecretsResponse> observer) {
        Replies.reply(() -> configs.rotateSecrets(Callers.user(), Callers.address()), observer);
    }

    @Override
    public void listen(ListenRequest request, StreamObserver<ListenResponse> observer) {
        ServerCallStreamObserver<ListenResponse> out = (ServerCallStreamObserver<ListenResponse>) observer;
        ConfigListen listen;
        try {
            listen = reads.listen(Callers.user(), Callers.address(), request, GrpcSinks.of(out));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        out.setOnReadyHandler(listen::drain);
        out.setOnCancelHandler(listen::close);
    }
}
