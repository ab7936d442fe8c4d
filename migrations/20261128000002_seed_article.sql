-- The seed catalog: the article in data/article.txt, verbatim (tests/api/seed.rs compares every text
-- with the article). Applied migrations are never edited: correct the seed in a new migration.

INSERT INTO catalog (id, version, source, title, publisher, year, introduction, conclusion, attribution, license) VALUES
    (1, 'seed-2023.1', 'article', 'The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023', 'Upwork', 2023,
     'In today’s rapidly evolving job market, having the right skills is crucial for professional success. As we step into 2023, the landscape of employment is witnessing a significant shift toward remote work and freelancing. Upwork, one of the world’s leading freelancing platforms, has identified several powerful skills that are in high demand and will continue to shape the job market in the coming year. This article delves into the top in-demand skills on Upwork for 2023, providing insights into the key areas where professionals should focus to thrive in their careers.',
     'As we navigate the ever-changing job market of the future, acquiring and honing the power skills highlighted in this article will be essential for professionals aiming to stay ahead. Digital marketing mastery, artificial intelligence and machine learning expertise, blockchain and cryptocurrency knowledge, and e-commerce management skills are all areas that hold significant potential for career growth in 2023 and beyond. By staying updated and actively developing these skills, professionals can position themselves for success in the evolving job landscape.',
     'Based on the article “The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023”.', NULL);

INSERT INTO categories (slug, name, description, position) VALUES
    ('marketing', 'Digital Marketing Mastery',
     'Digital marketing has become an integral part of business strategies, and companies are seeking experts who can navigate the complex world of online advertising, SEO, content marketing, and social media management. Professionals who are proficient in running successful digital marketing campaigns and analyzing data to drive results will be highly sought after.', 1),
    ('ai', 'Artificial Intelligence and Machine Learning',
     'The increasing reliance on AI and machine learning technologies is transforming industries, and businesses are seeking experts who can harness the power of these tools to enhance processes, automate tasks, and make data-driven decisions.', 2),
    ('blockchain', 'Blockchain and Cryptocurrency Expertise',
     'With the rise of blockchain technology and cryptocurrencies, companies are seeking professionals who can navigate the complexities of decentralized systems and explore the potential for innovation and growth in this field.', 3),
    ('ecommerce', 'E-commerce Management',
     'The e-commerce industry has witnessed unprecedented growth, and businesses require professionals who can manage online stores, optimize user experiences, and drive sales.', 4);

INSERT INTO skills (slug, name, description, position, category_slug) VALUES
    ('seo', 'Search Engine Optimization (SEO)',
     'SEO continues to be a vital skill for businesses aiming to improve their online visibility. Understanding algorithms, keyword research, and on-page optimization will be crucial to helping businesses rank higher in search engine results pages.', 1, 'marketing'),
    ('social-media-management', 'Social Media Management',
     'Social media is an essential platform for brand promotion and engagement. Professionals skilled in creating engaging content, managing social media channels, and analyzing performance metrics will be in high demand.', 2, 'marketing'),
    ('nlp', 'Natural Language Processing (NLP)',
     'NLP is a critical component of AI, enabling machines to understand and interpret human language. Professionals skilled in NLP will be in demand for developing chatbots, voice assistants, and language translation systems.', 3, 'ai'),
    ('machine-learning-engineering', 'Machine Learning Engineering',
     'Machine learning engineers will play a pivotal role in developing algorithms and models that drive AI applications. Their ability to create efficient and accurate models will be highly valued.', 4, 'ai'),
    ('smart-contract-development', 'Smart Contract Development',
     'Professionals skilled in creating smart contracts—self-executing contracts with the terms of the agreement directly written into lines of code—will be in demand as blockchain adoption grows.', 5, 'blockchain'),
    ('cryptocurrency-analysis', 'Cryptocurrency Analysis',
     'Cryptocurrencies have become a significant investment asset, and experts who can analyze market trends, predict price movements, and offer investment advice will be highly sought-after.', 6, 'blockchain'),
    ('supply-chain-management', 'Supply Chain Management',
     'E-commerce companies need professionals who can optimize supply chain processes, ensuring seamless inventory management and timely deliveries to customers.', 7, 'ecommerce'),
    ('customer-experience-enhancement', 'Customer Experience Enhancement',
     'Enhancing the customer experience is crucial for e-commerce success. Professionals who can implement strategies to improve user satisfaction and resolve issues will be in high demand.', 8, 'ecommerce');

INSERT INTO skill_categories (skill_slug, category_slug) SELECT slug, category_slug FROM skills;

INSERT INTO skill_aliases (skill_slug, alias) VALUES
    ('seo', 'SEO'),
    ('seo', 'search engine optimisation'),
    ('seo', 'search engine optimization'),
    ('seo', 'search optimization'),
    ('seo', 'keyword research'),
    ('seo', 'on-page optimization'),
    ('social-media-management', 'social media'),
    ('social-media-management', 'social media marketing'),
    ('social-media-management', 'SMM'),
    ('social-media-management', 'social media manager'),
    ('social-media-management', 'community management'),
    ('nlp', 'NLP'),
    ('nlp', 'natural language processing'),
    ('nlp', 'computational linguistics'),
    ('nlp', 'chatbots'),
    ('nlp', 'language models'),
    ('machine-learning-engineering', 'machine learning'),
    ('machine-learning-engineering', 'ML'),
    ('machine-learning-engineering', 'ML engineering'),
    ('machine-learning-engineering', 'ML engineer'),
    ('machine-learning-engineering', 'machine learning engineer'),
    ('machine-learning-engineering', 'MLOps'),
    ('smart-contract-development', 'smart contracts'),
    ('smart-contract-development', 'smart contract'),
    ('smart-contract-development', 'Solidity'),
    ('smart-contract-development', 'smart contract developer'),
    ('cryptocurrency-analysis', 'crypto analysis'),
    ('cryptocurrency-analysis', 'cryptocurrency analyst'),
    ('cryptocurrency-analysis', 'crypto trading analysis'),
    ('cryptocurrency-analysis', 'crypto market analysis'),
    ('supply-chain-management', 'supply chain'),
    ('supply-chain-management', 'SCM'),
    ('supply-chain-management', 'inventory management'),
    ('supply-chain-management', 'logistics'),
    ('supply-chain-management', 'order fulfillment'),
    ('customer-experience-enhancement', 'customer experience'),
    ('customer-experience-enhancement', 'CX'),
    ('customer-experience-enhancement', 'user experience optimization'),
    ('customer-experience-enhancement', 'customer satisfaction'),
    ('customer-experience-enhancement', 'customer support');

INSERT INTO faqs (id, question, answer, category_slug) VALUES
    (1, 'How can I acquire digital marketing skills?',
     'There are various online courses and certifications available that can help you acquire digital marketing skills. Additionally, hands-on experience and staying updated with the latest trends and tools in the field will greatly contribute to your expertise.', 'marketing'),
    (2, 'What are some resources to learn about artificial intelligence and machine learning?',
     'Online platforms like Coursera, Udacity, and edX offer comprehensive courses on AI and machine learning. There are also open-source libraries and frameworks, such as TensorFlow and PyTorch, that provide extensive documentation and tutorials.', 'ai'),
    (3, 'Are blockchain and cryptocurrencies here to stay?',
     'The adoption of blockchain technology and cryptocurrencies is steadily increasing across industries. While the future is still evolving, the potential for transformative impact and innovation is significant, making them likely to stay.', 'blockchain'),
    (4, 'How can I enhance the customer experience in e-commerce?',
     'To enhance the customer experience, focus on providing personalized experiences, seamless navigation, responsive customer support, and efficient order fulfillment. Incorporating customer feedback and leveraging data analytics can also help identify areas for improvement.', 'ecommerce'),
    (5, 'Where can I find e-commerce management roles?',
     'Online job platforms, professional networking sites, and e-commerce-specific job boards are great places to find e-commerce management roles. Additionally, reaching out to e-commerce companies directly and attending industry events can help you connect with potential employers.', 'ecommerce');
