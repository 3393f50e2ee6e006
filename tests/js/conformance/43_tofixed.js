console.log((3.14159).toFixed(2), (2.5).toFixed(0), (1.005).toFixed(2), (1234.5678).toFixed(1), (0).toFixed(3), (-1.5).toFixed(0));
