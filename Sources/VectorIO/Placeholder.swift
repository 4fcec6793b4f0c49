public enum VectorIOPlaceholder {}
