package dev.kdk.render;

import dev.kdk.KdkException;

/** A template that does not render, or renders something that is not a valid Kubernetes object; exit code 2. */
public class TemplateException extends KdkException {
    public TemplateException(String message) {
        super(message, USAGE, null);
    }
}
