VALUE = "namespace"
