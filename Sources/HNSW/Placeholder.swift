public enum HNSWPlaceholder {}
