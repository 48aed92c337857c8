package io.cairn.console.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.client.Maintenance;
import io.cairn.console.ConsoleProperties;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.cluster.MemberStatus;
import io.cairn.console.metrics.MetricsSampler;
import io.cairn.console.metrics.SvgChart;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.Background;
import io.cairn.console.ui.Badges;
import io.cairn.console.ui.MainLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/** Is the cluster well: its members, its alarms, and the last hour of each member's load. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Cairn")
public class DashboardView extends VerticalLayout {
    private static final Duration REFRESH = Duration.ofSeconds(10);

    /** One read of the cluster for the page: each part holds its rows or the cluster's error. */
    record Reading(List<MemberStatus> members, String membersError, List<Maintenance.Alarm> alarms, String alarmsError) {
    }

    private final ConsoleSession session;
    private final MetricsSampler sampler;
    private final ConsoleProperties properties;
    private final Background background;
    private final Grid<MemberStatus> members = new Grid<>();
    private final Span membersError = new Span();
    private final Grid<Maintenance.Alarm> alarms = new Grid<>();
    private final Span alarmsNote = new Span();
    private final Div charts = new Div();
    private ScheduledFuture<?> refreshing;

    public DashboardView(ConsoleSession session, MetricsSampler sampler, ConsoleProperties properties, Background background) {
        this.session = session;
        this.sampler = sampler;
        this.properties = properties;
        this.background = background;
        members.setId("members-grid");
        members.addColumn(MemberStatus::name).setHeader("Member").setAutoWidth(true);
        members.addColumn(MemberStatus::idHex).setHeader("ID").setAutoWidth(true);
        members.addColumn(MemberStatus::clientUrl).setHeader("Client URL").setAutoWidth(true);
        members.addComponentColumn(m -> Badges.of(m.leader() ? "leader" : m.member().learner() ? "learner" : "follower",
                m.leader() ? "success" : "contrast")).setHeader("Role");
        members.addComponentColumn(m -> Badges.of(m.health(), m.healthy() ? "success" : "error")).setHeader("Health").setAutoWidth(true);
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.raftTerm())).orElse("")).setHeader("Raft term");
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.raftIndex())).orElse("")).setHeader("Raft index");
        members.addColumn(m -> m.status().map(s -> SvgChart.bytes(s.dbSize())).orElse("")).setHeader("DB size");
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.header().revision())).orElse("")).setHeader("Revision");
        members.addColumn(m -> m.status().map(Maintenance.Status::version).orElse("")).setHeader("Version");
        members.setAllRowsVisible(true);
        membersError.setId("members-error");
        membersError.addClassName("console-error");

        alarms.setId("alarms-grid");
        alarms.addColumn(a -> Long.toHexString(a.memberId())).setHeader("Member");
        alarms.addColumn(a -> a.type().name()).setHeader("Alarm");
        alarms.addComponentColumn(a -> {
            Button disarm = new Button("Disarm", e -> Actions.confirm("Disarm " + a.type() + "?",
                    "Member " + Long.toHexString(a.memberId()) + " will accept writes again; disarm only once the cause is fixed.",
                    "Disarm", () -> Actions.run("Disarmed " + a.type() + " on " + Long.toHexString(a.memberId()),
                            () -> session.client().maintenance().sync().disarm(a))));
            disarm.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return disarm;
        }).setHeader("");
        alarms.setAllRowsVisible(true);
        alarmsNote.setId("alarms-note");
        charts.setId("charts");
        charts.addClassName("charts");
        add(new H3("Members"), membersError, members, new H3("Alarms"), alarmsNote, alarms, new H3("Last hour"), charts);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        refreshing = background.every(REFRESH, event.getUI(), this::read, this::show);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        refreshing.cancel(false);
    }

    /** Runs on a background thread: no component is touched here. */
    private Reading read() {
        List<MemberStatus> rows = List.of();
        String rowsError = "";
        try {
            rows = MemberStatus.of(session);
            sampler.track(rows.stream().map(MemberStatus::member).toList());
        } catch (RuntimeException e) {
            rowsError = "Members: " + CairnErrors.describe(e);
        }
        List<Maintenance.Alarm> raised = List.of();
        String alarmsError = "";
        try {
            raised = session.client().maintenance().sync().alarms();
        } catch (RuntimeException e) {
            alarmsError = "Alarms: " + CairnErrors.describe(e);
        }
        return new Reading(rows, rowsError, raised, alarmsError);
    }

    private void show(Reading r) {
        members.setItems(r.members());
        membersError.setText(r.membersError());
        membersError.setVisible(!r.membersError().isEmpty());
        alarms.setItems(r.alarms());
        alarms.setVisible(!r.alarms().isEmpty());
        alarmsNote.setText(!r.alarmsError().isEmpty() ? r.alarmsError() : r.alarms().isEmpty() ? "No alarms." : "");
        drawCharts();
    }

    private void drawCharts() {
        Map<String, List<MetricsSampler.Point>> series = sampler.series();
        long now = System.currentTimeMillis();
        long window = properties.sampleWindow().toMillis();
        charts.removeAll();
        charts.add(chart("Requests per second", series, MetricsSampler.Point::requestsPerSecond, v -> SvgChart.number(v, "/s"), now, window));
        charts.add(chart("p99 latency", series, MetricsSampler.Point::p99Millis, v -> SvgChart.number(v, "ms"), now, window));
        charts.add(chart("DB size", series, MetricsSampler.Point::dbSizeBytes, SvgChart::bytes, now, window));
        charts.add(chart("Watchers", series, MetricsSampler.Point::watchers, v -> SvgChart.number(v, ""), now, window));
        charts.add(chart("Leases", series, MetricsSampler.Point::leases, v -> SvgChart.number(v, ""), now, window));
        sampler.unreachable().forEach((member, why) -> charts.add(new Span(member + ": /metrics unreadable: " + why)));
    }

    private static Html chart(String title, Map<String, List<MetricsSampler.Point>> series,
                              ToDoubleFunction<MetricsSampler.Point> value, DoubleFunction<String> label, long now, long window) {
        return new Html("<div class='chart-box'>" + SvgChart.draw(title, series, value, label, now, window) + "</div>");
    }
}
