package io.axivon.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.axivon.common.InvalidInputException;
import io.axivon.common.config.ConfigShape.ListOf;
import io.axivon.common.config.ConfigShape.MapOf;
import io.axivon.common.config.ConfigShape.Scalar;
import io.axivon.common.config.ConfigShape.Section;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads a service's configuration into an immutable record: defaults from the record, then a YAML
 * or JSON file, then overrides (what command-line flags become), each layer winning over the one
 * before.
 *
 * <p>Keys are the kebab-case names of the record components ({@code dataDir} is {@code data-dir};
 * {@code @JsonProperty} renames); nested records are sections, addressed with dots in overrides
 * ({@code p2p.listen-port=30304}). A record may declare {@code public static T defaults()}: every
 * value it returns that is not null is a default; every key without a default is required. Nested
 * records contribute their own {@code defaults()} unless the outer one sets them.
 *
 * <p>Every problem is an {@link InvalidInputException} with a one-line message saying where (file
 * and line, or the override) and which key: unknown keys (with the allowed ones), values of the
 * wrong type (with the expected type), missing required keys, and values the record's constructor
 * rejects.
 */
public final class ConfigLoader {
  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
  private static final YAMLMapper YAML =
      configure(
              YAMLMapper.builder(
                  YAMLFactory.builder().stringQuotingChecker(new QuoteOddKeys()).build()))
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private ConfigLoader() {}

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    return builder
        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .withCoercionConfigDefaults(
            c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
        // "enabled: 1" is a mistake, not a yes; text "true" (from a flag) still converts
        .withCoercionConfig(
            LogicalType.Boolean,
            c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        // paths read and write as the text the user typed, not as file:// URIs
        .addModule(
            new SimpleModule("axivon-config")
                .addSerializer(Path.class, ToStringSerializer.instance)
                .addDeserializer(Path.class, new PathDeserializer()));
  }

  /**
   * Loads {@code type} from defaults, the optional file (".yaml", ".yml" or ".json") and the
   * overrides ({@code "section.key" -> "value"}; lists as comma-separated values).
   *
   * @throws InvalidInputException for any problem in the file or the overrides
   */
  public static <T extends Record> T load(
      Class<T> type, Optional<Path> file, Map<String, String> overrides) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(overrides, "overrides");
    Section shape = (Section) ConfigShape.of(type);
    Sources sources = new Sources(file, new TreeMap<>(overrides));

    ObjectNode tree = defaultsTree(shape);
    if (file.isPresent()) {
      merge(tree, readFile(file.get(), sources), shape);
    }
    for (Map.Entry<String, String> override : sources.overrides.entrySet()) {
      applyOverride(tree, shape, override.getKey(), override.getValue(), sources);
    }
    checkKeys(tree, shape, "", sources);
    checkRequired(tree, shape, "", sources);
    return bind(tree, type, sources);
  }

  /** Renders a config value as YAML that {@link #load} reads back to an equal value. */
  public static String toYaml(Record config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot render " + config.getClass() + ": " + e, e);
    }
  }

  /** Renders a config value as JSON. */
  public static String toJson(Record config) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot render " + config.getClass() + ": " + e, e);
    }
  }

  /**
   * Every settable key of {@code type} in dotted form with a description of its value, for mapping
   * command-line flags to overrides and for help text. Map-typed keys end in {@code .*}.
   */
  public static Map<String, String> keys(Class<? extends Record> type) {
    Map<String, String> out = new TreeMap<>();
    collectKeys((Section) ConfigShape.of(type), "", out);
    return out;
  }

  private static void collectKeys(Section section, String prefix, Map<String, String> out) {
    section
        .keys()
        .forEach(
            (name, shape) -> {
              String key = prefix + name;
              switch (shape) {
                case Section nested -> collectKeys(nested, key + ".", out);
                case MapOf map -> out.put(key + ".*", map.value().describe());
                default -> out.put(key, shape.describe());
              }
            });
  }

  // ---- layers ------------------------------------------------------------------------------

  /** The defaults of a section: nested sections' own defaults, then the section's defaults(). */
  private static ObjectNode defaultsTree(Section shape) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    shape
        .keys()
        .forEach(
            (name, child) -> {
              if (child instanceof Section nested) {
                ObjectNode nestedDefaults = defaultsTree(nested);
                if (!nestedDefaults.isEmpty()) {
                  node.set(name, nestedDefaults);
                }
              }
            });
    defaultsOf(shape.type())
        .ifPresent(
            value -> {
              JsonNode own = JSON.valueToTree(value);
              removeNulls(own);
              merge(node, (ObjectNode) own, shape);
            });
    return node;
  }

  private static Optional<Object> defaultsOf(Class<?> type) {
    Method method;
    try {
      method = type.getDeclaredMethod("defaults");
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
    if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != type) {
      throw new IllegalArgumentException(
          type.getName() + ".defaults() must be static and return " + type.getSimpleName());
    }
    try {
      method.setAccessible(true);
      return Optional.ofNullable(method.invoke(null));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + type.getName() + ".defaults()", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          type.getName() + ".defaults() failed: " + e.getCause(), e.getCause());
    }
  }

  private static void removeNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().removeIf(e -> e.getValue().isNull());
      object.forEach(ConfigLoader::removeNulls);
    }
  }

  /**
   * Overlays {@code source} on {@code target}: sections merge key by key, anything else is
   * replaced.
   */
  private static void merge(ObjectNode target, ObjectNode source, ConfigShape shape) {
    for (Map.Entry<String, JsonNode> entry : source.properties()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      ConfigShape child = shape instanceof Section s ? s.key(name).orElse(null) : null;
      if (child instanceof Section
          && value instanceof ObjectNode sourceObject
          && target.get(name) instanceof ObjectNode targetObject) {
        merge(targetObject, sourceObject, child);
      } else {
        target.set(name, value.deepCopy());
      }
    }
  }

  private static ObjectNode readFile(Path file, Sources sources) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      mapper = YAML;
    } else if (lower.endsWith(".json")) {
      mapper = JSON;
    } else {
      throw new InvalidInputException(
          "config file " + file + ": unsupported extension; use .yaml, .yml or .json");
    }
    String content;
    try {
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("config file " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("config file " + file + " is not valid UTF-8");
    } catch (IOException e) {
      throw new InvalidInputException("config file " + file + " cannot be read: " + e, e);
    }
    JsonNode root;
    try {
      root = mapper.readTree(content);
      sources.lines.putAll(keyLines(mapper, content));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidInputException(
          "config file "
              + file
              + (at != null && at.getLineNr() > 0 ? " line " + at.getLineNr() : "")
              + ": malformed "
              + (mapper == YAML ? "YAML" : "JSON")
              + ": "
              + oneLine(e.getOriginalMessage()),
          e);
    } catch (IOException e) {
      throw new IllegalStateException("parsing an in-memory string", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode(); // an empty file sets nothing
    }
    if (!(root instanceof ObjectNode object)) {
      throw new InvalidInputException(
          "config file " + file + ": the top level must be a mapping of keys, found " + kind(root));
    }
    return object;
  }

  /** The line of every key in the file, by dotted path. */
  private static Map<String, Integer> keyLines(ObjectMapper mapper, String content)
      throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = mapper.createParser(content)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          lines.putIfAbsent(
              dotted(parser.getParsingContext()), parser.currentTokenLocation().getLineNr());
        }
      }
    }
    return lines;
  }

  private static String dotted(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        parts.add(String.valueOf(c.getCurrentName()));
      } else if (c.inArray()) {
        parts.add(String.valueOf(Math.max(0, c.getCurrentIndex())));
      }
    }
    Collections.reverse(parts);
    return String.join(".", parts);
  }

  private static void applyOverride(
      ObjectNode tree, Section root, String key, String value, Sources sources) {
    String[] parts = key.split("\\.", -1);
    if (key.isEmpty() || Arrays.stream(parts).anyMatch(String::isEmpty)) {
      throw new InvalidInputException(
          sources.where(key) + ": malformed key '" + key + "'; use dotted keys like p2p.port");
    }
    ObjectNode node = tree;
    ConfigShape shape = root;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      ConfigShape child;
      if (shape instanceof Section section) {
        child = section.key(part).orElse(null);
        if (child == null) {
          throw unknownKey(sources, key, path.toString(), part, section);
        }
      } else if (shape instanceof MapOf map) {
        child = map.value();
      } else {
        throw new InvalidInputException(
            sources.where(key)
                + ": '"
                + path
                + "' is "
                + shape.describe()
                + ", it has no key '"
                + part
                + "'");
      }
      if (!path.isEmpty()) {
        path.append('.');
      }
      path.append(part);
      boolean last = i == parts.length - 1;
      if (last) {
        node.set(part, overrideValue(child, key, value, sources));
      } else {
        ObjectNode next;
        if (node.get(part) instanceof ObjectNode existing) {
          next = existing;
        } else {
          next = JsonNodeFactory.instance.objectNode();
          node.set(part, next);
        }
        node = next;
        shape = child;
      }
    }
  }

  private static JsonNode overrideValue(
      ConfigShape shape, String key, String value, Sources sources) {
    return switch (shape) {
      case Scalar s -> TextNode.valueOf(value); // Jackson converts text to the field's type
      case ListOf list when list.element() instanceof Scalar -> {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        if (!value.isBlank()) {
          Arrays.stream(value.split(",", -1)).map(String::strip).forEach(array::add);
        }
        yield array;
      }
      case Section section ->
          throw new InvalidInputException(
              sources.where(key)
                  + ": '"
                  + key
                  + "' is a section; set its keys one by one ("
                  + key
                  + "."
                  + section.keys().keySet().iterator().next()
                  + "=...)");
      case MapOf map ->
          throw new InvalidInputException(
              sources.where(key)
                  + ": '"
                  + key
                  + "' is a map; set its entries as "
                  + key
                  + ".<name>=...");
      default ->
          throw new InvalidInputException(
              sources.where(key)
                  + ": '"
                  + key
                  + "' is "
                  + shape.describe()
                  + " of sections; set it in the config file");
    };
  }

  // ---- checks ------------------------------------------------------------------------------

  /** Every key in the merged tree must exist in the type (overrides were checked on the way in). */
  private static void checkKeys(JsonNode node, ConfigShape shape, String path, Sources sources) {
    switch (shape) {
      case Section section when node instanceof ObjectNode object -> {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
          ConfigShape child = section.key(entry.getKey()).orElse(null);
          String key = join(path, entry.getKey());
          if (child == null) {
            throw unknownKey(sources, key, path, entry.getKey(), section);
          }
          checkKeys(entry.getValue(), child, key, sources);
        }
      }
      case MapOf map when node instanceof ObjectNode object -> {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
          checkKeys(entry.getValue(), map.value(), join(path, entry.getKey()), sources);
        }
      }
      case ListOf list when node instanceof ArrayNode array -> {
        for (int i = 0; i < array.size(); i++) {
          checkKeys(array.get(i), list.element(), join(path, String.valueOf(i)), sources);
        }
      }
      default -> {} // type mismatches are reported when binding
    }
  }

  /** Every key of every present section must have a value (a default, the file, an override). */
  private static void checkRequired(JsonNode node, Section section, String path, Sources sources) {
    for (Map.Entry<String, ConfigShape> entry : section.keys().entrySet()) {
      String key = join(path, entry.getKey());
      JsonNode value = node.get(entry.getKey());
      if (value == null || value.isNull()) {
        if (entry.getValue() instanceof Section nested) {
          checkRequired(JsonNodeFactory.instance.objectNode(), nested, key, sources);
        }
        String problem = value == null ? "missing required key '" : "null value for required key '";
        throw new InvalidInputException(
            sources.where(key)
                + ": "
                + problem
                + key
                + "' ("
                + entry.getValue().describe()
                + "); set it in the config file or with an override "
                + key
                + "=...");
      }
      if (entry.getValue() instanceof Section nested && value instanceof ObjectNode) {
        checkRequired(value, nested, key, sources);
      }
      if (entry.getValue() instanceof ListOf list
          && list.element() instanceof Section nested
          && value instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i) instanceof ObjectNode) {
            checkRequired(array.get(i), nested, join(key, String.valueOf(i)), sources);
          }
        }
      }
      if (entry.getValue() instanceof MapOf map
          && map.value() instanceof Section nested
          && value instanceof ObjectNode object) {
        for (Map.Entry<String, JsonNode> item : object.properties()) {
          if (item.getValue() instanceof ObjectNode) {
            checkRequired(item.getValue(), nested, join(key, item.getKey()), sources);
          }
        }
      }
    }
  }

  private static InvalidInputException unknownKey(
      Sources sources, String key, String parent, String name, Section section) {
    return new InvalidInputException(
        sources.where(key)
            + ": unknown key '"
            + join(parent, name)
            + "'; allowed keys"
            + (parent.isEmpty() ? "" : " under '" + parent + "'")
            + ": "
            + String.join(", ", section.keys().keySet()));
  }

  // ---- binding -----------------------------------------------------------------------------

  private static <T> T bind(ObjectNode tree, Class<T> type, Sources sources) {
    JsonParser parser = JSON.treeAsTokens(tree);
    try (parser) {
      return JSON.readValue(parser, type);
    } catch (ValueInstantiationException e) {
      String key = pathOf(e);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidInputException(
          sources.where(key)
              + ": invalid "
              + (key.isEmpty() ? "configuration" : "'" + key + "'")
              + ": "
              + oneLine(String.valueOf(cause.getMessage())),
          e);
    } catch (PropertyBindingException e) {
      // checkKeys reports unknown keys first; this is the backstop for what it cannot see
      String key = join(pathOf(e), String.valueOf(e.getPropertyName()));
      throw new InvalidInputException(
          sources.where(key)
              + ": unknown key '"
              + key
              + "'; allowed keys: "
              + e.getKnownPropertyIds(),
          e);
    } catch (MismatchedInputException e) {
      String key = pathOf(e);
      if (key.isEmpty()) {
        key = dotted(parser.getParsingContext());
      }
      Class<?> target = e.getTargetType();
      String expected = target != null ? ConfigShape.of(target).describe() : "another type";
      throw new InvalidInputException(
          sources.where(key)
              + ": key '"
              + key
              + "' expects "
              + expected
              + ", got "
              + render(at(tree, key)),
          e);
    } catch (JsonMappingException e) {
      String key = pathOf(e);
      throw new InvalidInputException(
          sources.where(key) + ": key '" + key + "': " + oneLine(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      // e.g. a number out of the field's range: the parser knows where it was
      String key = dotted(parser.getParsingContext());
      throw new InvalidInputException(
          sources.where(key)
              + ": key '"
              + key
              + "': "
              + oneLine(e.getOriginalMessage())
              + ", got "
              + render(at(tree, key)),
          e);
    } catch (IOException e) {
      throw new IllegalStateException("reading an in-memory tree", e);
    }
  }

  private static String pathOf(JsonMappingException e) {
    List<String> parts = new ArrayList<>();
    for (JsonMappingException.Reference ref : e.getPath()) {
      parts.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
    }
    return String.join(".", parts);
  }

  private static JsonNode at(JsonNode tree, String key) {
    JsonNode node = tree;
    if (key.isEmpty()) {
      return node;
    }
    for (String part : key.split("\\.")) {
      if (node == null) {
        return null;
      }
      node =
          node.isArray() && part.chars().allMatch(Character::isDigit)
              ? node.get(Integer.parseInt(part))
              : node.get(part);
    }
    return node;
  }

  private static String render(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.isTextual() ? '"' + node.textValue() + '"' : kind(node) + " " + node;
    text = oneLine(text);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a section";
      case NUMBER -> "the number";
      case BOOLEAN -> "the boolean";
      case STRING -> "the string";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String join(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /**
   * Quotes every key that is not a plain identifier. SnakeYAML writes some keys unquoted that it
   * then reads back differently (a NEL character becomes a space), so map keys with anything
   * unusual are written in double quotes, where every character is escaped exactly.
   */
  private static final class QuoteOddKeys extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    }
  }

  /**
   * A path is the text exactly as written: Jackson's default reads "a:b" as a URI and its
   * from-string base trims spaces.
   */
  private static final class PathDeserializer extends StdScalarDeserializer<Path> {
    private static final long serialVersionUID = 1L;

    PathDeserializer() {
      super(Path.class);
    }

    @Override
    public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (Path) context.handleUnexpectedToken(Path.class, parser);
      }
      String text = parser.getText();
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw context.weirdStringException(text, Path.class, e.getReason());
      }
    }
  }

  /** Where each key came from, to say so in errors. */
  private static final class Sources {
    final Optional<Path> file;
    final Map<String, String> overrides;
    final Map<String, Integer> lines = new HashMap<>();

    Sources(Optional<Path> file, Map<String, String> overrides) {
      this.file = file;
      this.overrides = overrides;
    }

    String where(String key) {
      if (overrides.containsKey(key)) {
        return "config override " + key + "=" + overrides.get(key);
      }
      for (String k = key; ; k = k.substring(0, k.lastIndexOf('.'))) {
        Integer line = lines.get(k);
        if (line != null) {
          return "config file " + file.orElseThrow() + " line " + line;
        }
        if (!k.contains(".")) {
          break;
        }
      }
      return file.map(f -> "config file " + f).orElse("config");
    }
  }
}
