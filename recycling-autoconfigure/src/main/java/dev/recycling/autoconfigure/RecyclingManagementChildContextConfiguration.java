package dev.recycling.autoconfigure;

import dev.recycling.restart.Generation;
import dev.recycling.restart.Recycler;
import dev.recycling.restart.jetty.JettyConnectionQuiescer;
import dev.recycling.restart.jetty.JettyHeldSocketCustomizer;
import dev.recycling.restart.netty.NettyConnectionQuiescer;
import dev.recycling.restart.netty.NettyHeldSocketCustomizer;
import dev.recycling.restart.netty.SharedReactorResources;
import dev.recycling.restart.tomcat.TomcatConnectionQuiescer;
import dev.recycling.restart.tomcat.TomcatHeldSocketCustomizer;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The management server on its own port ({@code management.server.port}) holds its
 * listening socket like the main server: in the child context Spring Boot creates for it,
 * the same customizers, with the parent generation's recycler. While generations overlap,
 * the next one's management server starts parked and takes over at the handover, when the
 * previous one's stops accepting.
 *
 * @author recycling team
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "recycling.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "recycling.mode", havingValue = "context", matchIfMissing = true)
@ConditionalOnBean(Recycler.class)
final class RecyclingManagementChildContextConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class TomcatManagementConfiguration {

		@Bean
		TomcatHeldSocketCustomizer recyclingManagementTomcatHeldSocketCustomizer(Recycler recycler,
				Generation generation, ApplicationContext context, RecyclingProperties properties) {
			TomcatConnectionQuiescer quiescer = new TomcatConnectionQuiescer(context);
			// a probe accepted just before the handover is answered before the context closes
			generation.onHandOver(() -> quiescer.stopAcceptingAndAwaitServed(properties.getDrain().getIdleTimeout()));
			return new TomcatHeldSocketCustomizer(recycler.getHeldSockets(), () -> recycler.sharedDirectory("tomcat"),
					"tomcat-management");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Server.class, JettyServletWebServerFactory.class })
	static class JettyManagementConfiguration {

		@Bean
		JettyHeldSocketCustomizer recyclingManagementJettyHeldSocketCustomizer(Recycler recycler,
				Generation generation, ApplicationContext context, RecyclingProperties properties) {
			JettyConnectionQuiescer quiescer = new JettyConnectionQuiescer(context);
			// a probe accepted just before the handover is answered before the context closes
			generation.onHandOver(() -> quiescer.stopAcceptingAndAwaitServed(properties.getDrain().getIdleTimeout()));
			return new JettyHeldSocketCustomizer(recycler.getHeldSockets(), "jetty-management");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	static class NettyManagementConfiguration {

		@Bean
		NettyHeldSocketCustomizer recyclingManagementNettyHeldSocketCustomizer(Recycler recycler,
				Generation generation, RecyclingProperties properties) {
			SharedReactorResources shared = SharedReactorResources.of(recycler);
			NettyHeldSocketCustomizer customizer = new NettyHeldSocketCustomizer(recycler.getHeldSockets(),
					shared::loops, "netty-management");
			NettyConnectionQuiescer quiescer = new NettyConnectionQuiescer(customizer);
			// a probe accepted just before the handover is answered before the context closes
			generation.onHandOver(() -> quiescer.stopAcceptingAndAwaitServed(properties.getDrain().getIdleTimeout()));
			return customizer;
		}

	}

}
