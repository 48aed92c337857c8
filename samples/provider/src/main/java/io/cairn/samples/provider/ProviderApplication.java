package io.cairn.samples.provider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service that registers itself in Cairn when its web server is up (the starter does it, from
 * application.yml) and says which instance answered. Start several: they share the load.
 */
@SpringBootApplication
@RestController
public class ProviderApplication {
    private final Registration registration;

    public ProviderApplication(Registration registration) {
        this.registration = registration;
    }

    public static void main(String[] args) {
        SpringApplication.run(ProviderApplication.class, args);
    }

    @GetMapping("/hello")
    public String hello() {
        return "hello from " + registration.getInstanceId();
    }
}
