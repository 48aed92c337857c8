package io.cairn.samples.configapp;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes its settings from the config "config-app" in Cairn ({@code spring.config.import} in
 * application.yml). Publish a new version and both beans below change while the service runs:
 * the {@code @ConfigurationProperties} one is rebound, the {@code @RefreshScope} one rebuilt.
 * A gray release reaches only the instances its rules match, here by the {@code instance} label.
 */
@SpringBootApplication
@EnableConfigurationProperties(ConfigApplication.Shop.class)
@RestController
public class ConfigApplication {
    private final Shop shop;
    private final Banner banner;

    public ConfigApplication(Shop shop, Banner banner) {
        this.shop = shop;
        this.banner = banner;
    }

    public static void main(String[] args) {
        SpringApplication.run(ConfigApplication.class, args);
    }

    @ConfigurationProperties("shop")
    public static class Shop {
        private String greeting = "hello";
        private int discount;

        public String getGreeting() {
            return greeting;
        }

        public void setGreeting(String greeting) {
            this.greeting = greeting;
        }

        public int getDiscount() {
            return discount;
        }

        public void setDiscount(int discount) {
            this.discount = discount;
        }
    }

    /** Reads its value once, when made; a refresh makes it again. */
    @Component
    @RefreshScope
    public static class Banner {
        private final String text;

        public Banner(@Value("${shop.banner:welcome}") String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    @GetMapping("/config")
    public Map<String, Object> config() {
        return new TreeMap<>(Map.of("greeting", shop.getGreeting(), "discount", shop.getDiscount(), "banner", banner.text()));
    }
}
