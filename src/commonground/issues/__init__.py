"""Issues of concern and the supports that draw attention to them."""
