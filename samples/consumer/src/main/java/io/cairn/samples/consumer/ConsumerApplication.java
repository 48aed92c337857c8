package io.cairn.samples.consumer;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Calls the provider by its name: {@code http://provider} is resolved by Spring Cloud
 * LoadBalancer from Cairn's live list of instances, so the calls are spread over every
 * provider, and one that stops is skipped as soon as the registry drops it.
 */
@SpringBootApplication
@RestController
public class ConsumerApplication {
    private final RestTemplate rest;

    public ConsumerApplication(RestTemplate rest) {
        this.rest = rest;
    }

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }

    @Bean
    @LoadBalanced
    static RestTemplate restTemplate() {
        return new RestTemplate();
    }

    /** Calls the provider {@code times} times; answers how many calls each instance took, and how many failed. */
    @GetMapping("/call")
    public Map<String, Integer> call(@RequestParam(defaultValue = "10") int times) {
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < times; i++) {
            try {
                answers.merge(rest.getForObject("http://provider/hello", String.class), 1, Integer::sum);
            } catch (RestClientException e) {
                answers.merge("failed", 1, Integer::sum);
            }
        }
        return answers;
    }
}
