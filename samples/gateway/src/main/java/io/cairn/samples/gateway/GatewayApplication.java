package io.cairn.samples.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway in front of the provider: the route in application.yml sends
 * {@code /provider/**} to {@code lb://provider}, the instances Cairn knows at that moment.
 */
@SpringBootApplication
public class GatewayApplication {
    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
