package io.cairn.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Messages as etcdctl -w json prints them (Go's encoding/json over etcd's generated structs):
 * proto field names, zero values left out, numbers as numbers (uint64 unsigned), bytes in
 * base64, enums as numbers, and a oneof as {"Oneof":{"FieldInCamelCase":...}}.
 */
final class GoJson {
    private GoJson() {
    }

    static String print(Message m) {
        StringBuilder out = new StringBuilder();
        message(m, out);
        return out.toString();
    }

    private static void message(Message m, StringBuilder out) {
        out.append('{');
        boolean first = true;
        Set<Descriptors.OneofDescriptor> done = new HashSet<>();
        for (Descriptors.FieldDescriptor f : m.getDescriptorForType().getFields()) {
            Descriptors.OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null) {
                if (!done.add(oneof)) {
                    continue;
                }
                Descriptors.FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
                if (set == null) {
                    continue;
                }
                first = comma(out, first);
                out.append('"').append(camel(oneof.getName())).append("\":{\"").append(camel(set.getName())).append("\":");
                value(set, m.getField(set), out);
                out.append('}');
                continue;
            }
            if (f.isRepeated() ? m.getRepeatedFieldCount(f) == 0 : !present(m, f)) {
                continue;
            }
            first = comma(out, first);
            out.append('"').append(f.getName()).append("\":");
            if (f.isRepeated()) {
                out.append('[');
                List<?> values = (List<?>) m.getField(f);
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(f, values.get(i), out);
                }
                out.append(']');
            } else {
                value(f, m.getField(f), out);
            }
        }
        out.append('}');
    }

    private static boolean present(Message m, Descriptors.FieldDescriptor f) {
        if (f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
            return m.hasField(f);
        }
        Object v = m.getField(f);
        return switch (f.getJavaType()) {
            case INT, LONG -> ((Number) v).longValue() != 0;
            case BOOLEAN -> (Boolean) v;
            case STRING -> !((String) v).isEmpty();
            case BYTE_STRING -> !((ByteString) v).isEmpty();
            case ENUM -> ((Descriptors.EnumValueDescriptor) v).getNumber() != 0;
            default -> true;
        };
    }

    private static void value(Descriptors.FieldDescriptor f, Object v, StringBuilder out) {
        switch (f.getJavaType()) {
            case MESSAGE -> message((Message) v, out);
            case LONG -> out.append(unsigned(f) ? Long.toUnsignedString((Long) v) : v.toString());
            case INT -> out.append(unsigned(f) ? Integer.toUnsignedString((Integer) v) : v.toString());
            case BOOLEAN -> out.append(v);
            case ENUM -> out.append(((Descriptors.EnumValueDescriptor) v).getNumber());
            case BYTE_STRING -> out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray())).append('"');
            case STRING -> quote((String) v, out);
            default -> out.append(v);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean unsigned(Descriptors.FieldDescriptor f) {
        return switch (f.getType()) {
            case UINT64, FIXED64, UINT32, FIXED32 -> true;
            default -> false;
        };
    }

    private static boolean comma(StringBuilder out, boolean first) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    /** Go's exported field name for a proto field: response_range becomes ResponseRange. */
    private static String camel(String name) {
        StringBuilder s = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return s.toString();
    }
}
