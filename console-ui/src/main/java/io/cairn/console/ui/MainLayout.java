package io.cairn.console.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.server.VaadinSession;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ClusterAccess;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.views.AccessView;
import io.cairn.console.views.AuditView;
import io.cairn.console.views.ConfigView;
import io.cairn.console.views.DashboardView;
import io.cairn.console.views.KeysView;
import io.cairn.console.views.LeasesView;
import io.cairn.console.views.LoginView;
import io.cairn.console.views.ServicesView;

/**
 * The frame around every view: navigation, who is signed in, and a banner while auth is off.
 * Nobody reaches a view without a session: with auth on they sign in first, with auth off they
 * enter open, and a session left open when auth has since been switched on is sent to sign in.
 */
public class MainLayout extends AppLayout implements BeforeEnterObserver {
    private final ConsoleSession session;
    private final ClusterAccess access;
    private final Span who = new Span();
    private final Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create());
    private final Span banner = new Span("Auth is off: anyone who reaches this console acts with every right. Switch it on under Access.");

    public MainLayout(ConsoleSession session, ClusterAccess access) {
        this.session = session;
        this.access = access;
        Span title = new Span("Cairn");
        title.addClassName("console-title");
        banner.setId("open-banner");
        banner.getElement().getThemeList().add("badge error");
        who.setId("signed-in-as");
        // the whole HTTP session ends, its beans and clients with it; the browser starts a new one
        signOut.addClickListener(e -> {
            session.signOut();
            getUI().ifPresent(ui -> ui.getPage().setLocation("login"));
            VaadinSession.getCurrent().getSession().invalidate();
        });
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout right = new HorizontalLayout(banner, who, signOut);
        right.setAlignItems(FlexComponent.Alignment.CENTER);
        right.addClassName("console-header-right");
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, right);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(right);
        header.addClassName("console-header");
        addToNavbar(header);
        addToDrawer(navigation());
    }

    private static SideNav navigation() {
        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Dashboard", DashboardView.class, VaadinIcon.DASHBOARD.create()));
        nav.addItem(new SideNavItem("Services", ServicesView.class, VaadinIcon.CLUSTER.create()));
        nav.addItem(new SideNavItem("Config", ConfigView.class, VaadinIcon.FILE_TEXT_O.create()));
        nav.addItem(new SideNavItem("Keys", KeysView.class, VaadinIcon.KEY_O.create()));
        nav.addItem(new SideNavItem("Leases", LeasesView.class, VaadinIcon.TIMER.create()));
        nav.addItem(new SideNavItem("Access", AccessView.class, VaadinIcon.USERS.create()));
        nav.addItem(new SideNavItem("Audit", AuditView.class, VaadinIcon.RECORDS.create()));
        return nav;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        boolean authOn;
        try {
            authOn = access.authEnabled();
        } catch (RuntimeException e) {
            // the cluster cannot be reached: a session already made goes on (its views show the errors)
            if (!session.signedIn()) {
                event.forwardTo(LoginView.class);
                return;
            }
            authOn = !session.open();
            Actions.error("Cannot reach the cluster: " + CairnErrors.describe(e));
        }
        if (authOn && session.open()) {
            session.signOut();
        }
        if (!session.signedIn()) {
            if (authOn) {
                event.forwardTo(LoginView.class);
                return;
            }
            session.enterOpen();
        }
        banner.setVisible(session.open());
        signOut.setVisible(!session.open());
        who.setText(session.user().map(u -> "Signed in as " + u).orElse(""));
        who.setVisible(session.user().isPresent());
    }
}
