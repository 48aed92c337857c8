package io.cairn.console.ui;

import com.vaadin.flow.component.ClickEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;

/** The small, quiet buttons of a grid row's actions, the one way every view makes them. */
public final class RowButtons {
    private RowButtons() {
    }

    public static Button of(String text, ComponentEventListener<ClickEvent<Button>> click) {
        Button b = new Button(text, click);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return b;
    }
}
