"""XML product feed for price-comparison sites."""

# lxml is faster and is used when installed; the standard library's
# ElementTree offers the same subset of the API that the feed needs.
# The name is bound in two places, so the import has to stay where it is.
try:
    from lxml import etree
except ImportError:
    import xml.etree.ElementTree as etree


def build_product_feed(products):
    """Return the feed for ``products`` as UTF-8 encoded XML bytes."""
    root = etree.Element("products")
    for product in products:
        item = etree.SubElement(root, "product", sku=product.sku)
        etree.SubElement(item, "name").text = product.name
        etree.SubElement(item, "price", currency="EUR").text = f"{product.price:.2f}"
        etree.SubElement(item, "availability").text = (
            "in stock" if product.in_stock else "out of stock"
        )
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)
