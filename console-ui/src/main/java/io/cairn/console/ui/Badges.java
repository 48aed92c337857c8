package io.cairn.console.ui;

import com.vaadin.flow.component.html.Span;

/** Lumo's badges, the one way the console marks a state: success, error, contrast or plain. */
public final class Badges {
    private Badges() {
    }

    /** A badge reading {@code text}; {@code theme} is "success", "error", "contrast" or "" for plain. */
    public static Span of(String text, String theme) {
        Span badge = new Span(text);
        badge.getElement().getThemeList().add(theme.isEmpty() ? "badge" : "badge " + theme);
        return badge;
    }
}
