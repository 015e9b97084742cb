package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LanguagesTest {

  @Test
  void pick_followsTheWeights() {
    assertThat(Languages.pick("en-US,en;q=0.9,zh;q=0.5")).isEqualTo(Locale.ENGLISH);
    assertThat(Languages.pick("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Locale.CHINESE);
    assertThat(Languages.pick("fr;q=1,en;q=0.5")).isEqualTo(Locale.ENGLISH);
  }

  @Test
  void pick_fallsBackToChinese() {
    assertThat(Languages.pick(null)).isEqualTo(Locale.CHINESE);
    assertThat(Languages.pick("fr-FR")).isEqualTo(Locale.CHINESE);
    assertThat(Languages.pick(";;;q=x")).isEqualTo(Locale.CHINESE);
  }
}
