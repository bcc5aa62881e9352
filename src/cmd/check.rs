//! `lander check`: build in memory, then lint.
