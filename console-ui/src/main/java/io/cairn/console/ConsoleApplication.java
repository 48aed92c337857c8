package io.cairn.console;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.Theme;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The operators' console: a web client of a Cairn cluster, reaching it only through sdk-java.
 * Pushed, so that live views (a service's instances) update without polling.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Theme("cairn")
@Push
public class ConsoleApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
