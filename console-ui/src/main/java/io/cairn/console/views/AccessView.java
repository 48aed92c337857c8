package io.cairn.console.views;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.client.Auth;
import io.cairn.client.Auth.Permission;
import io.cairn.client.Bytes;
import io.cairn.client.Keys;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.ui.RowButtons;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Users, roles and their key-range permissions, and auth itself on or off: etcd's auth model as it is. */
@Route(value = "access", layout = MainLayout.class)
@PageTitle("Access · Cairn")
public class AccessView extends VerticalLayout {
    /** A user and the roles granted to them. */
    record UserRow(String name, List<String> roles) {
    }

    /** A role and what it may do. */
    record RoleRow(String name, List<Permission> permissions) {
    }

    private final ConsoleSession session;
    private final Grid<UserRow> users = new Grid<>();
    private final Grid<RoleRow> roles = new Grid<>();
    private final Span authStatus = new Span();
    private final Button enable = new Button("Enable auth");
    private final Button disable = new Button("Disable auth");

    public AccessView(ConsoleSession session) {
        this.session = session;
        authStatus.setId("auth-status");
        enable.setId("auth-enable");
        disable.setId("auth-disable");
        enable.addClickListener(e -> Actions.confirm("Enable auth?",
                "Every request will need a user from then on, this console included: it signs you out. The user root must exist and hold the root role.",
                "Enable", this::enableAuth));
        disable.addClickListener(e -> Actions.confirm("Disable auth?",
                "Anyone who reaches the cluster will be able to read and change everything.", "Disable", () -> {
                    Actions.run("Auth disabled", () -> session.client().auth().sync().disable());
                    refresh();
                }));
        disable.addThemeVariants(ButtonVariant.LUMO_ERROR);

        users.setId("users-grid");
        users.addColumn(UserRow::name).setHeader("User").setAutoWidth(true);
        users.addColumn(u -> String.join(", ", u.roles())).setHeader("Roles").setAutoWidth(true);
        users.addComponentColumn(this::userActions).setHeader("").setAutoWidth(true);
        users.setAllRowsVisible(true);
        roles.setId("roles-grid");
        roles.addColumn(RoleRow::name).setHeader("Role").setAutoWidth(true);
        roles.addColumn(r -> r.permissions().stream().map(AccessView::describe).collect(Collectors.joining("; ")))
                .setHeader("Permissions").setFlexGrow(1);
        roles.addComponentColumn(this::roleActions).setHeader("").setAutoWidth(true);
        roles.setAllRowsVisible(true);

        Button addUser = new Button("Add user", e -> addUserDialog());
        addUser.setId("user-add");
        Button addRole = new Button("Add role", e -> addRoleDialog());
        addRole.setId("role-add");
        HorizontalLayout authBar = new HorizontalLayout(authStatus, enable, disable);
        authBar.setAlignItems(FlexComponent.Alignment.CENTER);
        add(new H3("Auth"), authBar, new H3("Users"), addUser, users, new H3("Roles"), addRole, roles);
        refresh();
    }

    /** "readwrite [/app/, /app0)" reads as etcdctl's role get prints it. */
    static String describe(Permission p) {
        String type = p.type().name().toLowerCase(Locale.ROOT);
        if (p.rangeEnd() == null || p.rangeEnd().isEmpty()) {
            return type + " " + p.key();
        }
        if (p.rangeEnd().equals(Keys.FROM_KEY)) {
            return type + " from " + p.key() + " on";
        }
        if (p.rangeEnd().equals(Keys.prefixEnd(p.key()))) {
            return type + " prefix " + p.key();
        }
        return type + " [" + p.key() + ", " + p.rangeEnd() + ")";
    }

    private void refresh() {
        Auth.Sync auth = session.client().auth().sync();
        Actions.read(auth::status).ifPresent(s -> {
            authStatus.setText(s.enabled() ? "Auth is on" : "Auth is off");
            authStatus.getElement().getThemeList().set("badge", true);
            authStatus.getElement().getThemeList().set("success", s.enabled());
            authStatus.getElement().getThemeList().set("error", !s.enabled());
            enable.setVisible(!s.enabled());
            disable.setVisible(s.enabled());
        });
        Actions.read(() -> auth.userList().items().stream()
                .map(u -> new UserRow(u, auth.userGet(u).items())).toList()).ifPresent(users::setItems);
        Actions.read(() -> auth.roleList().items().stream()
                .map(r -> new RoleRow(r, auth.roleGet(r).items())).toList()).ifPresent(roles::setItems);
    }

    private void enableAuth() {
        if (Actions.run("Auth enabled", () -> session.client().auth().sync().enable())) {
            session.signOut();
            getUI().ifPresent(ui -> ui.navigate(LoginView.class));
        }
    }

    private HorizontalLayout userActions(UserRow u) {
        Button grant = RowButtons.of("Grant role", e -> pickRole("Grant a role to " + u.name(), null, role ->
                Actions.run("Granted " + role + " to " + u.name(), () -> session.client().auth().sync().userGrantRole(u.name(), role))));
        grant.addClassName("user-grant");
        Button revoke = RowButtons.of("Revoke role", e -> pickRole("Revoke a role from " + u.name(), u.roles(), role ->
                Actions.run("Revoked " + role + " from " + u.name(), () -> session.client().auth().sync().userRevokeRole(u.name(), role))));
        Button password = RowButtons.of("Password", e -> passwordDialog(u.name()));
        Button delete = RowButtons.of("Delete", e -> Actions.confirm("Delete user " + u.name() + "?",
                "They can no longer sign in; their roles stay.", "Delete", () -> {
                    Actions.run("Deleted user " + u.name(), () -> session.client().auth().sync().userDelete(u.name()));
                    refresh();
                }));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(grant, revoke, password, delete);
    }

    private HorizontalLayout roleActions(RoleRow r) {
        Button grant = RowButtons.of("Grant permission", e -> permissionDialog(r.name()));
        grant.addClassName("role-grant");
        Button delete = RowButtons.of("Delete", e -> Actions.confirm("Delete role " + r.name() + "?",
                "Users holding it lose its permissions.", "Delete", () -> {
                    Actions.run("Deleted role " + r.name(), () -> session.client().auth().sync().roleDelete(r.name()));
                    refresh();
                }));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        HorizontalLayout row = new HorizontalLayout(grant);
        for (Permission p : r.permissions()) {
            row.add(RowButtons.of("Revoke " + describe(p), e -> Actions.confirm("Revoke " + describe(p) + " from " + r.name() + "?",
                    "Users holding " + r.name() + " lose this permission.", "Revoke", () -> {
                        Actions.run("Revoked", () -> session.client().auth().sync().roleRevokePermission(r.name(), p.key(), p.rangeEnd()));
                        refresh();
                    })));
        }
        row.add(delete);
        return row;
    }

    private void addUserDialog() {
        Dialog d = new Dialog();
        d.setHeaderTitle("Add user");
        TextField name = new TextField("Name");
        name.setId("new-user-name");
        PasswordField password = new PasswordField("Password");
        password.setId("new-user-password");
        ComboBox<String> role = new ComboBox<>("Role (optional)");
        role.setId("new-user-role");
        Actions.read(() -> session.client().auth().sync().roleList().items()).ifPresent(role::setItems);
        Button save = new Button("Add", e -> {
            boolean ok = Actions.run("Added user " + name.getValue(), () -> {
                session.client().auth().sync().userAdd(name.getValue().trim(), password.getValue());
                if (role.getValue() != null) {
                    session.client().auth().sync().userGrantRole(name.getValue().trim(), role.getValue());
                }
            });
            if (ok) {
                d.close();
                refresh();
            }
        });
        save.setId("new-user-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(new VerticalLayout(name, password, role));
        d.getFooter().add(new Button("Cancel", e -> d.close()), save);
        d.open();
    }

    private void addRoleDialog() {
        Dialog d = new Dialog();
        d.setHeaderTitle("Add role");
        TextField name = new TextField("Name");
        name.setId("new-role-name");
        Button save = new Button("Add", e -> {
            if (Actions.run("Added role " + name.getValue(), () -> session.client().auth().sync().roleAdd(name.getValue().trim()))) {
                d.close();
                refresh();
            }
        });
        save.setId("new-role-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(name);
        d.getFooter().add(new Button("Cancel", e -> d.close()), save);
        d.open();
    }

    private void permissionDialog(String role) {
        Dialog d = new Dialog();
        d.setHeaderTitle("Grant a permission to " + role);
        TextField key = new TextField("Key");
        key.setId("perm-key");
        Checkbox prefix = new Checkbox("Every key with this prefix", true);
        prefix.setId("perm-prefix");
        TextField rangeEnd = new TextField("Or up to (exclusive)");
        rangeEnd.setHelperText("empty: the key alone, unless prefix is ticked");
        prefix.addValueChangeListener(e -> rangeEnd.setEnabled(!e.getValue()));
        rangeEnd.setEnabled(false);
        Select<Permission.Type> type = new Select<>();
        type.setLabel("Permission");
        type.setItems(Permission.Type.values());
        type.setValue(Permission.Type.READWRITE);
        type.setId("perm-type");
        Button save = new Button("Grant", e -> {
            Bytes k = Bytes.of(key.getValue());
            Bytes end = prefix.getValue() ? Keys.prefixEnd(k) : Bytes.of(rangeEnd.getValue());
            Permission p = new Permission(type.getValue(), k, end);
            if (Actions.run("Granted " + describe(p) + " to " + role, () -> session.client().auth().sync().roleGrantPermission(role, p))) {
                d.close();
                refresh();
            }
        });
        save.setId("perm-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(new VerticalLayout(key, prefix, rangeEnd, type));
        d.getFooter().add(new Button("Cancel", e -> d.close()), save);
        d.open();
    }

    /** Asks for one of {@code offered} roles (every role when null), then does {@code then} with it. */
    private void pickRole(String title, List<String> offered, Consumer<String> then) {
        Dialog d = new Dialog();
        d.setHeaderTitle(title);
        ComboBox<String> role = new ComboBox<>("Role");
        role.setId("pick-role");
        if (offered != null) {
            role.setItems(offered);
        } else {
            Actions.read(() -> session.client().auth().sync().roleList().items()).ifPresent(role::setItems);
        }
        Button ok = new Button("OK", e -> {
            if (role.getValue() != null) {
                then.accept(role.getValue());
                d.close();
                refresh();
            }
        });
        ok.setId("pick-role-ok");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(role);
        d.getFooter().add(new Button("Cancel", e -> d.close()), ok);
        d.open();
    }

    private void passwordDialog(String user) {
        Dialog d = new Dialog();
        d.setHeaderTitle("New password for " + user);
        PasswordField password = new PasswordField("Password");
        Button ok = new Button("Change", e -> {
            if (Actions.run("Password changed for " + user, () -> session.client().auth().sync().userChangePassword(user, password.getValue()))) {
                d.close();
            }
        });
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        d.add(password);
        d.getFooter().add(new Button("Cancel", e -> d.close()), ok);
        d.open();
    }
}
