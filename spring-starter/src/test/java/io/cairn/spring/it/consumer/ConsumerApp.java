package io.cairn.spring.it.consumer;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestTemplate;

/** A consumer as a user writes one: a {@code @LoadBalanced RestTemplate} that calls providers by name. */
@SpringBootApplication
public class ConsumerApp {
    @Bean
    @LoadBalanced
    RestTemplate restTemplate() {
        return new RestTemplate();
    }
}
