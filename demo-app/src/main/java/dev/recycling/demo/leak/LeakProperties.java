package dev.recycling.demo.leak;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The demo's deliberate leak.
 *
 * @author recycling team
 */
@ConfigurationProperties("demo.leak")
public class LeakProperties implements InitializingBean {

	private static final int MAX_BYTES_PER_REQUEST = 10 * 1024 * 1024;

	/**
	 * Bytes a demo bean retains for every API request, to show leak diagnosis; 0 (the
	 * default) leaks nothing.
	 */
	private int bytesPerRequest;

	public int getBytesPerRequest() {
		return this.bytesPerRequest;
	}

	public void setBytesPerRequest(int bytesPerRequest) {
		this.bytesPerRequest = bytesPerRequest;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.bytesPerRequest < 0 || this.bytesPerRequest > MAX_BYTES_PER_REQUEST) {
			throw new InvalidConfigurationPropertyValueException("demo.leak.bytes-per-request", this.bytesPerRequest,
					"It must be between 0 (no leak) and " + MAX_BYTES_PER_REQUEST + " bytes, such as 65536.");
		}
	}

}
