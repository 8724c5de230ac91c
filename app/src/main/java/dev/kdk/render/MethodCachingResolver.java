package dev.kdk.render;

import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.ResourceBundleELResolver;

/**
 * jinjava's read-only expression resolver, with the method lookup of its bean resolver remembered.
 *
 * <p>Every filter in a template ({@code x | quote}) is a method call on the filter object, and jinjava finds the
 * method anew on each call by scanning the class's public methods; a chart renders hundreds of filter calls per
 * cluster. The method found depends only on the object's class, the method name, the declared parameter types if
 * the expression gives them, and the class (or absence) of each argument, so those are the cache key and a hit
 * returns what the lookup would. Everything else is jinjava's own resolvers, in jinjava's order.
 */
final class MethodCachingResolver {
    private MethodCachingResolver() {
    }

    /** The same resolvers as jinjava's default read-only one, with {@link CachingBeanResolver} for beans. */
    static ELResolver create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new ArrayELResolver(true));
        resolver.add(new JinjavaListELResolver(true));
        resolver.add(new TypeConvertingMapELResolver(true));
        resolver.add(new ResourceBundleELResolver());
        resolver.add(new CachingBeanResolver());
        return resolver;
    }

    /** jinjava's bean resolver (read-only), remembering which method each call resolves to. */
    static final class CachingBeanResolver extends JinjavaBeanELResolver {
        private static final Object NULL_ARGUMENT = new Object();
        private final Map<List<Object>, Method> methods = new ConcurrentHashMap<>();

        CachingBeanResolver() {
            super(true);
        }

        @Override
        protected Method findMethod(Object base, String name, Class<?>[] types, Object[] params, int paramCount) {
            Object[] key = new Object[4 + (params == null ? 0 : params.length)];
            key[0] = base.getClass();
            key[1] = name;
            key[2] = paramCount;
            key[3] = types == null ? NULL_ARGUMENT : Arrays.asList(types);
            for (int i = 0; params != null && i < params.length; i++) {
                key[4 + i] = params[i] == null ? NULL_ARGUMENT : params[i].getClass();
            }
            List<Object> k = Arrays.asList(key);
            Method cached = methods.get(k);
            if (cached != null) {
                return cached;
            }
            Method found = super.findMethod(base, name, types, params, paramCount);
            if (found != null) {
                methods.put(k, found);
            }
            return found;
        }
    }
}
