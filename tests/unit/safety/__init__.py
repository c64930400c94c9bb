"""Tests of the safety screen: for crisis screening the tests are the specification."""
