//! onbehalf-graph.
