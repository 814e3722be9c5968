package dev.dockerflow.examples.spring;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection pool Boot would make from {@code spring.datasource.*}, plus the PostgreSQL
 * driver's timeouts: without a socket timeout, a connection whose packets were swallowed waits
 * for its reply for ever and the pool never gets it back. A parameter in {@code DATABASE_URL}
 * overrides them. The notes' queries take milliseconds: a service with slower queries sets
 * {@code socketTimeout} above its slowest one.
 */
@Configuration(proxyBeanMethods = false)
class PoolConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        if (pool.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            pool.addDataSourceProperty("connectTimeout", "2"); // seconds to open the TCP connection
            pool.addDataSourceProperty("loginTimeout", "3");   // seconds for the whole log-in
            pool.addDataSourceProperty("socketTimeout", "5");  // seconds to wait for any reply
            pool.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return pool;
    }
}
