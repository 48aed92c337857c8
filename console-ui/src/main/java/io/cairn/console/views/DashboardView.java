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
import com.vaadin.flow.shared.Registration;
import io.cairn.client.Maintenance;
import io.cairn.console.ConsoleProperties;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ClusterAccess;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.cluster.MemberStatus;
import io.cairn.console.metrics.MetricsSampler;
import io.cairn.console.metrics.SvgChart;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/** Is the cluster well: its members, its alarms, and the last hour of each member's load. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Cairn")
public class DashboardView extends VerticalLayout {
    private static final int REFRESH_MILLIS = 10_000;

    private final ConsoleSession session;
    private final ClusterAccess access;
    private final MetricsSampler sampler;
    private final ConsoleProperties properties;
    private final Grid<MemberStatus> members = new Grid<>();
    private final Grid<Maintenance.Alarm> alarms = new Grid<>();
    private final Span alarmsNote = new Span();
    private final Div charts = new Div();
    private Registration polling;

    public DashboardView(ConsoleSession session, ClusterAccess access, MetricsSampler sampler, ConsoleProperties properties) {
        this.session = session;
        this.access = access;
        this.sampler = sampler;
        this.properties = properties;
        members.setId("members-grid");
        members.addColumn(MemberStatus::name).setHeader("Member").setAutoWidth(true);
        members.addColumn(MemberStatus::idHex).setHeader("ID").setAutoWidth(true);
        members.addColumn(MemberStatus::clientUrl).setHeader("Client URL").setAutoWidth(true);
        members.addComponentColumn(m -> badge(m.leader() ? "leader" : m.member().learner() ? "learner" : "follower",
                m.leader() ? "success" : "contrast")).setHeader("Role");
        members.addComponentColumn(m -> badge(m.health(), m.healthy() ? "success" : "error")).setHeader("Health").setAutoWidth(true);
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.raftTerm())).orElse("")).setHeader("Raft term");
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.raftIndex())).orElse("")).setHeader("Raft index");
        members.addColumn(m -> m.status().map(s -> SvgChart.bytes(s.dbSize())).orElse("")).setHeader("DB size");
        members.addColumn(m -> m.status().map(s -> String.valueOf(s.header().revision())).orElse("")).setHeader("Revision");
        members.addColumn(m -> m.status().map(Maintenance.Status::version).orElse("")).setHeader("Version");
        members.setAllRowsVisible(true);

        alarms.setId("alarms-grid");
        alarms.addColumn(a -> Long.toHexString(a.memberId())).setHeader("Member");
        alarms.addColumn(a -> a.type().name()).setHeader("Alarm");
        alarms.addComponentColumn(a -> {
            Button disarm = new Button("Disarm", e -> Actions.confirm("Disarm " + a.type() + "?",
                    "Member " + Long.toHexString(a.memberId()) + " will accept writes again; disarm only once the cause is fixed.",
                    "Disarm", () -> {
                        Actions.run("Disarmed " + a.type() + " on " + Long.toHexString(a.memberId()),
                                () -> session.client().maintenance().sync().disarm(a));
                        refresh();
                    }));
            disarm.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return disarm;
        }).setHeader("");
        alarms.setAllRowsVisible(true);
        alarmsNote.setId("alarms-note");
        charts.setId("charts");
        charts.addClassName("charts");

        Button refresh = new Button("Refresh", e -> refresh());
        refresh.setId("dashboard-refresh");
        add(new H3("Members"), members, refresh, new H3("Alarms"), alarmsNote, alarms, new H3("Last hour"), charts);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        refresh();
        event.getUI().setPollInterval(REFRESH_MILLIS);
        polling = event.getUI().addPollListener(e -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        event.getUI().setPollInterval(-1);
        polling.remove();
    }

    private void refresh() {
        Actions.read(() -> MemberStatus.of(access)).ifPresent(members::setItems);
        try {
            List<Maintenance.Alarm> raised = session.client().maintenance().sync().alarms();
            alarms.setItems(raised);
            alarms.setVisible(!raised.isEmpty());
            alarmsNote.setText(raised.isEmpty() ? "No alarms." : "");
        } catch (RuntimeException e) {
            alarms.setVisible(false);
            alarmsNote.setText("Alarms: " + CairnErrors.describe(e));
        }
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

    private static Span badge(String text, String theme) {
        Span s = new Span(text);
        s.getElement().getThemeList().add("badge " + theme);
        return s;
    }
}
