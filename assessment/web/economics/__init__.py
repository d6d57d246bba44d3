"""Estimates as named scenarios, the economics and decision page, waivers and scenario comparison."""
