package io.cairn.spring.it.provider;

import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A provider as a user writes one: it says which instance answered, and shows its config
 * through a {@code @ConfigurationProperties} bean and a {@code @RefreshScope} bean.
 */
@SpringBootApplication
@EnableConfigurationProperties(ProviderApp.Greeting.class)
public class ProviderApp {
    public static void main(String[] args) {
        SpringApplication.run(ProviderApp.class, args);
    }

    @ConfigurationProperties("greeting")
    public static class Greeting {
        private String message = "unset";
        /** A number: a config that makes it something else fails the rebind, and the instance reports so. */
        private int repeat = 1;

        public int getRepeat() {
            return repeat;
        }

        public void setRepeat(int repeat) {
            this.repeat = repeat;
        }

        public String getMessage() {
            return message;
        }

        public void setMessage(String message) {
            this.message = message;
        }
    }

    /** Built again on each refresh: its value is read once, when it is made. */
    public static class Mood {
        private final String mood;

        Mood(String mood) {
            this.mood = mood;
        }

        public String mood() {
            return mood;
        }
    }

    @Bean
    @RefreshScope
    Mood mood(@Value("${greeting.mood:unset}") String mood) {
        return new Mood(mood);
    }

    @RestController
    static class Endpoints {
        private final Greeting greeting;
        private final Mood mood;
        private final String id;

        Endpoints(Greeting greeting, Mood mood, @Value("${spring.cloud.cairn.discovery.instance-id}") String id) {
            this.greeting = greeting;
            this.mood = mood;
            this.id = id;
        }

        @GetMapping("/hello")
        String hello() {
            return id;
        }

        @GetMapping("/slow")
        String slow() throws InterruptedException {
            Thread.sleep(300); // in flight while a graceful shutdown begins
            return id;
        }

        @GetMapping("/props")
        Map<String, String> props() {
            return Map.of("message", greeting.getMessage(), "mood", mood.mood());
        }
    }
}
