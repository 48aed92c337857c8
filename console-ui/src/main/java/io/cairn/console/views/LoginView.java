package io.cairn.console.views;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ClusterAccess;
import io.cairn.console.cluster.ConsoleSession;

/** Sign in with a Cairn user: the console authenticates as them and acts as them from then on. */
@Route("login")
@PageTitle("Sign in · Cairn")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
    private final ClusterAccess access;

    public LoginView(ConsoleSession session, ClusterAccess access) {
        this.access = access;
        TextField user = new TextField("User");
        user.setId("username");
        user.setAutofocus(true);
        PasswordField password = new PasswordField("Password");
        password.setId("password");
        Span error = new Span();
        error.setId("login-error");
        error.addClassName("console-error");
        Button signIn = new Button("Sign in", e -> {
            try {
                session.signIn(user.getValue().trim(), password.getValue());
                getUI().ifPresent(ui -> ui.navigate(DashboardView.class));
            } catch (RuntimeException ex) {
                error.setText(CairnErrors.describe(ex));
                password.clear();
            }
        });
        signIn.setId("sign-in");
        signIn.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        signIn.addClickShortcut(Key.ENTER);
        Paragraph where = new Paragraph("Cluster: " + String.join(", ", access.endpoints()));
        where.addClassName("console-muted");

        VerticalLayout card = new VerticalLayout(new H2("Sign in to Cairn"), where, user, password, signIn, error);
        card.addClassName("console-login-card");
        card.setWidth("360px");
        add(card);
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
    }

    /** With auth off there is nobody to be: straight to the dashboard, which enters open. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            if (!access.authEnabled()) {
                event.forwardTo(DashboardView.class);
            }
        } catch (RuntimeException e) {
            // unreachable cluster: stay here, signing in will show the error
        }
    }
}
