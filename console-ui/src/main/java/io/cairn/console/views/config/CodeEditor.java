package io.cairn.console.views.config;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.data.value.ValueChangeMode;

/**
 * A config's content with line numbers: a gutter of numbers made on the server beside a
 * monospace text area. The text area grows with its content, so the gutter needs no scroll
 * syncing: the panel around both scrolls. The line a refused publish names is marked in the
 * gutter, and the refusal is shown under the editor.
 */
public final class CodeEditor extends Div {
    private final Div gutter = new Div();
    private final TextArea text = new TextArea();
    private final Span error = new Span();
    /** The line marked as wrong; 0 for none. */
    private int errorLine;
    /** What the gutter shows now, so that typing within a line sends nothing. */
    private int gutterLines = -1;
    private int gutterErrorLine = -1;

    public CodeEditor() {
        gutter.setId("config-gutter");
        gutter.addClassName("code-gutter");
        gutter.getElement().setAttribute("aria-hidden", "true");
        text.setId("config-content");
        text.addClassName("code");
        text.setAriaLabel("Content");
        text.setMinRows(12);
        // typing updates the gutter as lines come and go; a "change" (leaving the field, or a
        // script setting the value) is synchronized too, so no edit waits for the next keystroke
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.setValueChangeTimeout(250);
        text.getElement().addPropertyChangeListener("value", "change", e -> {
        });
        text.addValueChangeListener(e -> renderGutter());
        Div lines = new Div(gutter, text);
        lines.addClassName("code-editor");
        error.setId("config-error");
        error.addClassName("console-error");
        error.addClassName("code-error");
        error.setVisible(false);
        add(lines, error);
        setWidthFull();
        renderGutter();
    }

    public String content() {
        return text.getValue();
    }

    /** Replaces the content, as loaded; any error shown is for other content, so it goes. */
    public void setContent(String content) {
        clearError();
        text.setValue(content);
        renderGutter();
    }

    public void setReadOnly(boolean readOnly) {
        text.setReadOnly(readOnly);
    }

    /** Shows the cluster's refusal under the editor, and marks the line it names. */
    public void showError(String message) {
        error.setText(message);
        error.setVisible(true);
        errorLine = ErrorLine.lineOf(message).orElse(0);
        renderGutter();
    }

    public void clearError() {
        error.setText("");
        error.setVisible(false);
        errorLine = 0;
        renderGutter();
    }

    private void renderGutter() {
        // a final line break starts a line the caret can be on, so it is numbered
        int lines = (int) text.getValue().chars().filter(c -> c == '\n').count() + 1;
        if (lines == gutterLines && errorLine == gutterErrorLine) {
            return;
        }
        StringBuilder html = new StringBuilder(lines * 16);
        // an error line past the text (a message naming some other line) marks nothing
        for (int line = 1; line <= lines; line++) {
            html.append(line == errorLine ? "<div class=\"error-line\">" : "<div>").append(line).append("</div>");
        }
        gutter.getElement().setProperty("innerHTML", html.toString());
        gutterLines = lines;
        gutterErrorLine = errorLine;
    }
}
