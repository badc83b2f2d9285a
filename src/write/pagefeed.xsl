<?xml version="1.0" encoding="utf-8"?>
<!-- Shown by browsers that open a pagefeed RSS or Atom file: a readable page with a
     "how to subscribe" line instead of raw XML. Feed readers ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/">
  <xsl:output method="html" encoding="utf-8" indent="yes"/>
  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></title>
        <style>
          body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
          .note{background:#f3f6fa;border:1px solid #cdd8e4;padding:.6rem .9rem;border-radius:.4rem}
          li{margin:.9rem 0}.meta{color:#666;font-size:.9em}
        </style>
      </head>
      <body>
        <p class="note">This is a web feed. To subscribe, copy this page's address into your
          feed reader.</p>
        <h1><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></h1>
        <ul>
          <xsl:for-each select="rss/channel/item">
            <li>
              <a href="{link}"><xsl:value-of select="title"/></a>
              <div class="meta"><xsl:value-of select="dc:creator"/>
                <xsl:text> </xsl:text><xsl:value-of select="pubDate"/></div>
              <!-- An RSS description is HTML; pagefeed's are escaped plain text, so
                   unescaping them once shows the text (never markup). A processor that
                   ignores disable-output-escaping shows the escapes, still as text. -->
              <div><xsl:value-of select="description" disable-output-escaping="yes"/></div>
            </li>
          </xsl:for-each>
          <xsl:for-each select="atom:feed/atom:entry">
            <li>
              <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
              <div class="meta"><xsl:value-of select="atom:author/atom:name"/>
                <xsl:text> </xsl:text><xsl:value-of select="atom:published"/></div>
              <div><xsl:value-of select="atom:summary"/></div>
            </li>
          </xsl:for-each>
        </ul>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
