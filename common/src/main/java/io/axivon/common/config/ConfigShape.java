package io.axivon.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shape of a configuration type as the loader needs it: which keys a section has, what each key
 * holds, and how to describe that in an error. Config types are records (sections) whose components
 * are scalars, lists, string-keyed maps or further records.
 */
sealed interface ConfigShape {

  /** How a value of this shape is described in errors ("an integer", "a list", ...). */
  String describe();

  /** A record: an object whose keys are the kebab-case component names. */
  record Section(Class<?> type, Map<String, ConfigShape> keys) implements ConfigShape {
    @Override
    public String describe() {
      return "a section with keys " + String.join(", ", keys.keySet());
    }

    Optional<ConfigShape> key(String name) {
      return Optional.ofNullable(keys.get(name));
    }
  }

  record ListOf(ConfigShape element) implements ConfigShape {
    @Override
    public String describe() {
      return "a list";
    }
  }

  record MapOf(ConfigShape value) implements ConfigShape {
    @Override
    public String describe() {
      return "a map";
    }
  }

  record Scalar(Class<?> type) implements ConfigShape {
    @Override
    public String describe() {
      return describeScalar(type);
    }
  }

  PropertyNamingStrategies.KebabCaseStrategy KEBAB =
      new PropertyNamingStrategies.KebabCaseStrategy();

  /** The config key of a record component: its {@code @JsonProperty} name, else kebab-case. */
  static String keyOf(RecordComponent component) {
    JsonProperty explicit = component.getAnnotation(JsonProperty.class);
    if (explicit == null && component.getAccessor() != null) {
      explicit = component.getAccessor().getAnnotation(JsonProperty.class);
    }
    if (explicit != null && !explicit.value().isEmpty()) {
      return explicit.value();
    }
    return KEBAB.translate(component.getName());
  }

  static ConfigShape of(Type type) {
    return switch (type) {
      case Class<?> c when c.isRecord() -> section(c);
      case Class<?> c when c.isArray() && c != byte[].class -> new ListOf(of(c.getComponentType()));
      case Class<?> c when Collection.class.isAssignableFrom(c) ->
          new ListOf(new Scalar(Object.class));
      case Class<?> c when Map.class.isAssignableFrom(c) -> new MapOf(new Scalar(Object.class));
      case Class<?> c -> new Scalar(c);
      case ParameterizedType p
          when p.getRawType() instanceof Class<?> raw && Collection.class.isAssignableFrom(raw) ->
          new ListOf(of(p.getActualTypeArguments()[0]));
      case ParameterizedType p
          when p.getRawType() instanceof Class<?> raw && Map.class.isAssignableFrom(raw) ->
          new MapOf(of(p.getActualTypeArguments()[1]));
      case ParameterizedType p -> of(p.getRawType());
      case GenericArrayType a -> new ListOf(of(a.getGenericComponentType()));
      case WildcardType w -> of(w.getUpperBounds()[0]);
      default -> new Scalar(Object.class);
    };
  }

  private static Section section(Class<?> type) {
    Map<String, ConfigShape> keys = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getType() == Optional.class) {
        // no Jdk8Module here; a default (or a required key) says the same more plainly
        throw new IllegalArgumentException(
            "config type "
                + type.getName()
                + "."
                + component.getName()
                + ": Optional is not supported; give the key a default in defaults()");
      }
      keys.put(keyOf(component), of(component.getGenericType()));
    }
    return new Section(type, keys);
  }

  static String describeScalar(Class<?> type) {
    if (type == int.class
        || type == long.class
        || type == short.class
        || type == byte.class
        || type == Integer.class
        || type == Long.class
        || type == Short.class
        || type == Byte.class
        || type == BigInteger.class) {
      return "an integer";
    }
    if (type == double.class
        || type == float.class
        || type == Double.class
        || type == Float.class
        || type == BigDecimal.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == char.class || type == Character.class) {
      return "a string";
    }
    if (Path.class.isAssignableFrom(type)) {
      return "a path";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(e -> ((Enum<?>) e).name())
              .collect(Collectors.joining(", "));
    }
    if (type.isRecord()) {
      return section(type).describe();
    }
    return "a " + type.getSimpleName();
  }
}
